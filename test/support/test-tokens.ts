// Access tokens for the services' tests: an ES256 key pair of the test's own, the key resolver the
// server under test verifies with, tokens signed with the claims the Auth service issues
// (docs/services.md, "Tokens"), and the check of a refused call.
import { randomUUID } from "node:crypto";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  SignJWT,
  type JWK,
  type JWTVerifyGetKey,
} from "jose";
import { tokenAudience, tokenIssuer, type RoleName } from "../../services/runtime/auth.js";
import { errorReason } from "../../services/runtime/errors.js";
import { ErrorInfoSchema } from "../../gen/ts/google/rpc/error_details_pb.js";

/** What a test token says about its caller. */
export interface TestClaims {
  /** The user id as a decimal string, or `svc:<client_id>` for a service. */
  sub: string;
  roles: RoleName[];
  /** The linked customer id; the `cid` claim is left out when this is undefined. */
  cid?: bigint | string;
}

/** How to sign one token. */
export interface SignOptions {
  /** The lifetime, as jose's setExpirationTime reads it ("15m", "30m", …); 15 minutes by default. */
  expiresIn?: string;
}

/** A signing key of a test's own and what a server under test needs to trust it. */
export interface TestSigner {
  /** The key resolver to give the server under test (a local JWK Set of the public key). */
  readonly keys: JWTVerifyGetKey;
  /** The public key as a JWK, with its `kid`, `alg` ES256 and `use` sig. */
  readonly publicJwk: JWK;
  /** An access token with the claims: iss, aud, sub, roles, cid, iat, exp and a fresh jti. */
  sign(claims: TestClaims, options?: SignOptions): Promise<string>;
  /** An authorization header value, `Bearer <token>`, for a token with the claims. */
  bearer(claims: TestClaims, options?: SignOptions): Promise<string>;
}

/**
 * Generates an ES256 key pair (with a unique `kid`) and returns the signer around it; or, given a
 * private JWK with its `kid` (e.g. the key a test hands to a real Auth service), signs with that.
 */
export async function createTestSigner(source: { privateJwk?: JWK } = {}): Promise<TestSigner> {
  let privateKey: Awaited<ReturnType<typeof importJWK>>;
  let publicJwk: JWK;
  let kid: string;
  if (source.privateJwk) {
    const { kty, crv, x, y } = source.privateJwk;
    kid = source.privateJwk.kid ?? `test-${randomUUID()}`;
    privateKey = await importJWK({ ...source.privateJwk, alg: "ES256" }, "ES256");
    publicJwk = { kty, crv, x, y, kid, alg: "ES256", use: "sig" };
  } else {
    const pair = await generateKeyPair("ES256");
    kid = `test-${randomUUID()}`;
    privateKey = pair.privateKey;
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid, alg: "ES256", use: "sig" };
  }
  const sign = (claims: TestClaims, options: SignOptions = {}): Promise<string> =>
    new SignJWT({
      roles: claims.roles,
      ...(claims.cid !== undefined ? { cid: String(claims.cid) } : {}),
    })
      .setProtectedHeader({ alg: "ES256", kid })
      .setIssuer(tokenIssuer)
      .setAudience(tokenAudience)
      .setSubject(claims.sub)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? "15m")
      .setJti(randomUUID())
      .sign(privateKey);
  return {
    keys: createLocalJWKSet({ keys: [publicJwk] }),
    publicJwk,
    sign,
    bearer: async (claims, options) => `Bearer ${await sign(claims, options)}`,
  };
}

/**
 * Awaits a call that must fail, checks its code and, when given, its ErrorInfo reason, and returns
 * the error for further checks.
 */
export async function expectRefusal(
  call: Promise<unknown>,
  code: Code,
  reason?: string,
): Promise<ConnectError> {
  const outcome = await call.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof ConnectError)) {
    throw new Error(
      `expected ${Code[code]}${reason ? ` (${reason})` : ""}, but the call succeeded or threw ${String(outcome)}`,
    );
  }
  expect(Code[outcome.code]).toBe(Code[code]);
  if (reason !== undefined) expect(errorReason(outcome)).toBe(reason);
  return outcome;
}

/** The ErrorInfo metadata of a refusal, e.g. { payment_id: "42" }. */
export function errorMetadata(error: ConnectError): Record<string, string> {
  return error.findDetails(ErrorInfoSchema)[0]?.metadata ?? {};
}
