// Access tokens for tests: an ES256 key pair of our own, a key resolver the server verifies with,
// and tokens signed with the claims the Auth service issues (docs/services.md, "Tokens").
import { randomUUID } from "node:crypto";
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTVerifyGetKey } from "jose";
import { tokenAudience, tokenIssuer, type RoleName } from "../../../runtime/auth.js";

export interface TestSigner {
  /** The key resolver to give the server. */
  keys: JWTVerifyGetKey;
  /** A bearer header value for a user with the roles (and linked customer, if given). */
  bearer(roles: RoleName[], options?: { userId?: string; customerId?: string }): Promise<string>;
}

export async function createTestSigner(): Promise<TestSigner> {
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  const kid = `test-${randomUUID()}`;
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" };
  return {
    keys: createLocalJWKSet({ keys: [jwk] }),
    async bearer(roles, options = {}) {
      const token = await new SignJWT({ roles, ...(options.customerId ? { cid: options.customerId } : {}) })
        .setProtectedHeader({ alg: "ES256", kid })
        .setIssuer(tokenIssuer)
        .setAudience(tokenAudience)
        .setSubject(options.userId ?? "1001")
        .setIssuedAt()
        .setExpirationTime("15m")
        .setJti(randomUUID())
        .sign(privateKey);
      return `Bearer ${token}`;
    },
  };
}
