// The fingerprint of a mutating request: a hash of the parameters that decide its effect, so that
// a replay with the same idempotency key can be told apart from a reuse with other parameters.
import { createHash } from "node:crypto";

/**
 * Hashes an operation name and its parameters (in a fixed order) into 64 hex characters.
 * Callers normalize values first (e.g. "250" and "250.00" are the same amount).
 */
export function requestFingerprint(
  operation: string,
  parameters: ReadonlyArray<string | bigint | number>,
): string {
  const canonical = JSON.stringify([operation, ...parameters.map((p) => String(p))]);
  return createHash("sha256").update(canonical, "utf8").digest("hex");
}
