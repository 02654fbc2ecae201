// Authentication of every call: the access token (a JWT signed by the Auth service, verified
// against its published key set) becomes a Principal in the handler context. Services check
// authorization themselves with it, also for calls that did not come through Envoy.
import { Code, createContextKey, type HandlerContext, type Interceptor } from "@connectrpc/connect";
import {
  createLocalJWKSet,
  decodeJwt,
  errors as joseErrors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from "jose";
import { domainError } from "./errors.js";
import type { TokenRevocationCheck } from "./token-revocation.js";
import { ExpiringMap } from "./expiring-map.js";

/** The roles a principal can hold; SERVICE is a mesh service calling another one. */
export type RoleName = "CUSTOMER" | "TELLER" | "ADMIN" | "SERVICE";

/** Who is calling: from the verified access token. */
export interface Principal {
  /** The token subject: a user id such as "42", or a service name such as "svc:transaction". */
  readonly subject: string;
  /** The Auth service's user id; 0n for a service. */
  readonly userId: bigint;
  /** The roles the token grants. */
  readonly roles: ReadonlySet<RoleName>;
  /** The Account service's customer the user is linked to, if any. */
  readonly customerId?: bigint;
  /** The user's token version the token was issued at (claim `ver`, 0 when absent). */
  readonly tokenVersion: number;
}

/** Issuer and audience every access token of the mesh carries. */
export const tokenIssuer = "fidalex-auth";
export const tokenAudience = "fidalex-mesh";

/** The claims our access tokens carry beyond the registered ones. */
export interface AccessTokenClaims extends JWTPayload {
  roles: RoleName[];
  cid?: string;
  /** The user's token version at issue; a token below the published version is revoked. */
  ver?: number;
}

const principalKey = createContextKey<Principal | undefined>(undefined, { description: "principal" });

/**
 * Resolves signing keys from the Auth service's key set, fetched on first use and fetched again
 * (at most once per cooldown) when a token names a key id not yet known, e.g. after a rotation.
 */
export function createKeySetResolver(
  fetchKeySet: () => Promise<JSONWebKeySet>,
  cooldownMs = 30_000,
): JWTVerifyGetKey {
  let local: JWTVerifyGetKey | undefined;
  let kids = new Set<string>();
  let fetchedAt = 0;
  let inflight: Promise<void> | undefined;

  const refresh = () => {
    inflight ??= fetchKeySet()
      .then((set) => {
        local = createLocalJWKSet(set);
        kids = new Set(set.keys.map((k) => k.kid ?? ""));
        fetchedAt = Date.now();
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  };

  return async (header, token) => {
    const known = header.kid !== undefined && kids.has(header.kid);
    if (!local || (!known && Date.now() - fetchedAt > cooldownMs)) await refresh();
    return local!(header, token);
  };
}

/** Verifies an access token and returns its principal; throws UNAUTHENTICATED when it is not valid. */
export async function verifyAccessToken(token: string, keys: JWTVerifyGetKey): Promise<Principal> {
  let payload: AccessTokenClaims;
  try {
    ({ payload } = await jwtVerify<AccessTokenClaims>(token, keys, {
      issuer: tokenIssuer,
      audience: tokenAudience,
      algorithms: ["ES256"],
      requiredClaims: ["exp", "sub"],
    }));
  } catch (error) {
    const expired = error instanceof joseErrors.JWTExpired;
    throw domainError(
      Code.Unauthenticated,
      expired ? "TOKEN_EXPIRED" : "TOKEN_INVALID",
      expired ? "the access token has expired" : "the access token is not valid",
    );
  }
  const subject = payload.sub ?? "";
  const roles = new Set((payload.roles ?? []).filter(isRoleName));
  const userId = /^[0-9]+$/.test(subject) ? BigInt(subject) : 0n;
  if (!subject || roles.size === 0) {
    throw domainError(Code.Unauthenticated, "TOKEN_INVALID", "the access token is not valid");
  }
  return {
    subject,
    userId,
    roles,
    customerId: payload.cid && /^[0-9]+$/.test(payload.cid) ? BigInt(payload.cid) : undefined,
    tokenVersion: Number.isSafeInteger(payload.ver) && payload.ver! >= 0 ? payload.ver! : 0,
  };
}

function isRoleName(value: unknown): value is RoleName {
  return value === "CUSTOMER" || value === "TELLER" || value === "ADMIN" || value === "SERVICE";
}

/**
 * verifyAccessToken with a memory of tokens it has verified: a caller sends the same token with
 * every call until it expires, and checking its ES256 signature each time was a measurable share
 * of a call's CPU. A token is remembered for at most `ttlMs` and never past its own expiry, so a
 * token is not accepted longer than it would be without the cache; only valid tokens are kept,
 * and the oldest entries go first when `maxEntries` is reached. (Revocation is not decided by the
 * signature: it is checked apart, on every call, where it applies.)
 */
export function createVerifiedTokenCache(
  keys: JWTVerifyGetKey,
  options: { ttlMs?: number; maxEntries?: number } = {},
): (token: string) => Promise<Principal> {
  const ttlMs = options.ttlMs ?? 60_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const verified = new ExpiringMap<string, Principal>(maxEntries);
  return async (token) => {
    const now = Date.now();
    const hit = verified.get(token, now);
    if (hit) return hit;
    const principal = await verifyAccessToken(token, keys);
    const exp = decodeJwt(token).exp;
    const until = Math.min(now + ttlMs, typeof exp === "number" ? exp * 1000 : now);
    if (until > now) verified.set(token, principal, until);
    return principal;
  };
}

/** Procedures anyone may call without a token, beside health checks and reflection. */
export type PublicProcedures = ReadonlySet<string>;

/** Procedures of every server that need no token: health checks and server reflection. */
const infrastructureServices = [
  "grpc.health.v1.Health",
  "grpc.reflection.v1.ServerReflection",
  "grpc.reflection.v1alpha.ServerReflection",
];

/**
 * Verifies the bearer token of every call except public procedures (named "package.Service/Method"),
 * and puts its principal in the context. A call without a valid token is UNAUTHENTICATED; on a
 * public procedure a token is still read if present and valid. With a revocation check, a user's
 * token is also refused (TOKEN_REVOKED) once revoked: the signature's verdict is cached, this one
 * is asked on every call (token-revocation.ts).
 */
export function createAuthInterceptor(
  keys: JWTVerifyGetKey,
  publicProcedures: PublicProcedures,
  revocation?: TokenRevocationCheck,
): Interceptor {
  const verifySignature = createVerifiedTokenCache(keys);
  const verify = async (token: string) => {
    const principal = await verifySignature(token);
    await revocation?.(principal);
    return principal;
  };
  return (next) => async (req) => {
    const procedure = `${req.service.typeName}/${req.method.name}`;
    const isPublic = publicProcedures.has(procedure) || infrastructureServices.includes(req.service.typeName);
    const header = req.header.get("authorization");
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) {
      if (isPublic) return next(req);
      throw domainError(Code.Unauthenticated, "TOKEN_MISSING", "an access token is required");
    }
    try {
      req.contextValues.set(principalKey, await verify(match[1]!));
    } catch (error) {
      if (!isPublic) throw error;
    }
    return next(req);
  };
}

/** The caller's principal, or UNAUTHENTICATED when the call carried no valid token. */
export function requirePrincipal(ctx: HandlerContext): Principal {
  const principal = ctx.values.get(principalKey);
  if (!principal) throw domainError(Code.Unauthenticated, "TOKEN_MISSING", "an access token is required");
  return principal;
}

/** The caller's principal if the call carried a valid token. */
export function optionalPrincipal(ctx: HandlerContext): Principal | undefined {
  return ctx.values.get(principalKey);
}
