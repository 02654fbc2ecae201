// Opaque secrets the service hands out (refresh tokens, password-reset tokens): 32 random bytes in
// base64url for the client, and only their SHA-256 in the database, so a leaked table grants nothing.
import { createHash, randomBytes } from "node:crypto";

/** A new opaque token and the hash the database keeps of it. */
export interface OpaqueToken {
  /** The secret handed to its owner once; never stored or logged. */
  readonly token: string;
  /** The hex SHA-256 of the token, the only form the database holds. */
  readonly hash: string;
}

/** Creates a random token (32 bytes, base64url). */
export function newOpaqueToken(): OpaqueToken {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashOpaqueToken(token) };
}

/** The hex SHA-256 of a presented token, to look it up by. */
export function hashOpaqueToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
