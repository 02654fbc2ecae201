// The keys access tokens are signed with: ES256 (P-256) JWKs from configuration, the first one
// current, the others previous keys that stay published until the tokens they signed have expired.
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  SignJWT,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
  type JWTVerifyGetKey,
} from "jose";
import { ConfigError } from "../../runtime/config.js";
import type { Logger } from "../../runtime/logger.js";

/** The only algorithm our tokens are signed with. */
export const signingAlgorithm = "ES256";

/** The service's signing keys and the public key set it publishes. */
export interface SigningKeySet {
  /** The key id (`kid`) of the key new tokens are signed with. */
  readonly currentKeyId: string;
  /** The public keys, current key first, as GetJwks and /.well-known/jwks.json publish them. */
  readonly publicKeys: JSONWebKeySet;
  /** Resolves verification keys from the same set, so the service checks its own tokens locally. */
  readonly resolveKey: JWTVerifyGetKey;
  /** Signs a JWT payload with the current key (header alg ES256, kid, typ JWT). */
  sign(payload: JWTPayload): Promise<string>;
}

/**
 * Reads a key list: a JSON array of JWKs or a JWK Set (`{"keys": [...]}`), current key first. Only
 * the first needs its private part (`d`); the others are published for verification only. Error
 * messages name the key's position, never its material.
 */
export function parseSigningKeys(text: string): JWK[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error("is not valid JSON");
  }
  const keys = Array.isArray(parsed)
    ? parsed
    : parsed !== null && typeof parsed === "object" && Array.isArray((parsed as { keys?: unknown }).keys)
      ? (parsed as { keys: unknown[] }).keys
      : undefined;
  if (!keys || keys.length === 0)
    throw new Error('must be a non-empty JSON array of JWKs or {"keys": [...]}');
  return keys.map((key, index) => {
    const where = `key ${index + 1}`;
    if (key === null || typeof key !== "object") throw new Error(`${where} is not a JSON object`);
    const jwk = key as JWK;
    if (jwk.kty !== "EC" || jwk.crv !== "P-256" || typeof jwk.x !== "string" || typeof jwk.y !== "string") {
      throw new Error(`${where} must be an EC P-256 JWK (kty "EC", crv "P-256", x, y)`);
    }
    if (jwk.alg !== undefined && jwk.alg !== signingAlgorithm)
      throw new Error(`${where} must have alg ES256`);
    if (jwk.use !== undefined && jwk.use !== "sig") throw new Error(`${where} must have use "sig"`);
    if (index === 0 && typeof jwk.d !== "string") {
      throw new Error(`${where} (the current signing key) must include its private part "d"`);
    }
    return jwk;
  });
}

/** Creates a new ES256 private JWK with a thumbprint kid: the development fallback key. */
export async function generateSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(signingAlgorithm, { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: signingAlgorithm, use: "sig" };
}

/** The public half of a JWK, in the form a key set publishes. */
function publicJwk(jwk: JWK, kid: string): JWK {
  return { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y, kid, alg: signingAlgorithm, use: "sig" };
}

/**
 * Imports the keys (as parseSigningKeys returns them); a key without a kid gets its RFC 7638
 * thumbprint. Throws when a key cannot be imported or two keys share a kid.
 */
export async function createSigningKeySet(keys: JWK[]): Promise<SigningKeySet> {
  const published: JWK[] = [];
  for (const [index, jwk] of keys.entries()) {
    const kid = jwk.kid ?? (await calculateJwkThumbprint(publicJwk(jwk, "")));
    if (published.some((k) => k.kid === kid))
      throw new Error(`key ${index + 1} repeats the kid of another key`);
    const key = publicJwk(jwk, kid);
    try {
      await importJWK(key, signingAlgorithm);
    } catch {
      throw new Error(`key ${index + 1} is not a valid P-256 public key`);
    }
    published.push(key);
  }
  const current = keys[0]!;
  const currentKeyId = published[0]!.kid!;
  let privateKey: CryptoKey;
  try {
    privateKey = (await importJWK({ ...current, alg: signingAlgorithm }, signingAlgorithm)) as CryptoKey;
  } catch {
    throw new Error("key 1 (the current signing key) is not a valid P-256 private key");
  }
  const publicKeys: JSONWebKeySet = Object.freeze({ keys: published.map((k) => Object.freeze(k)) });
  return {
    currentKeyId,
    publicKeys,
    resolveKey: createLocalJWKSet(publicKeys),
    sign(payload) {
      return new SignJWT(payload)
        .setProtectedHeader({ alg: signingAlgorithm, kid: currentKeyId, typ: "JWT" })
        .sign(privateKey);
    },
  };
}

/**
 * The signing key set of the configuration (JWT_PRIVATE_KEYS or JWT_KEYS_FILE). Without one,
 * outside production, a key is generated for this process only: its tokens die with it. A key
 * jose cannot use is a configuration error naming the variable.
 */
export async function loadSigningKeySet(
  config: { signingKeys: readonly JWK[] | undefined; signingKeysSource: string | undefined },
  logger: Logger,
): Promise<SigningKeySet> {
  let keys = config.signingKeys;
  if (!keys) {
    logger.warn(
      "no JWT_PRIVATE_KEYS or JWT_KEYS_FILE: signing with a key generated for this process only (development)",
    );
    keys = [await generateSigningKey()];
  }
  try {
    return await createSigningKeySet([...keys]);
  } catch (error) {
    throw new ConfigError("auth", [
      `${config.signingKeysSource ?? "JWT_PRIVATE_KEYS"}: ${(error as Error).message}`,
    ]);
  }
}
