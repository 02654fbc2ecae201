// Client credentials of mesh services: a configured secret per client id, kept as a SHA-256
// digest and compared in constant time; a valid pair earns a short-lived SERVICE access token.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { AccessTokenIssuer, IssuedAccessToken } from "../keys/access-token-issuer.js";

/** Service tokens. */
export interface ServiceTokenService {
  /** A SERVICE token for the client, or undefined for an unknown client or a wrong secret. */
  issue(clientId: string, clientSecret: string): Promise<IssuedAccessToken | undefined>;
}

/** Creates the service over the client digests (SERVICE_CLIENT_SECRETS). */
export function createServiceTokenService(deps: {
  clients: ReadonlyMap<string, Buffer>;
  issuer: AccessTokenIssuer;
  ttlSeconds: number;
}): ServiceTokenService {
  const { clients, issuer, ttlSeconds } = deps;
  // Unknown clients are compared against a random digest, so they take as long as a wrong secret.
  const unknownClientDigest = createHash("sha256").update(randomBytes(32)).digest();
  return {
    async issue(clientId, clientSecret) {
      const presented = createHash("sha256").update(clientSecret, "utf8").digest();
      const expected = clients.get(clientId);
      const matches = timingSafeEqual(presented, expected ?? unknownClientDigest);
      if (!matches || !expected) return undefined;
      return issuer.issue({ subject: `svc:${clientId}`, roles: ["SERVICE"] }, ttlSeconds);
    },
  };
}
