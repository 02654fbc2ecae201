// The memory of verified access tokens (services/runtime/auth.ts): a token's signature is checked
// once, its principal is served from memory while the token is valid, never past its expiry, and
// an invalid token is refused every time.
import type { JWTVerifyGetKey } from "jose";
import { createVerifiedTokenCache } from "../../services/runtime/auth.js";
import { createTestSigner } from "../support/test-tokens.js";

async function countingSigner() {
  const signer = await createTestSigner();
  const counter = { lookups: 0 };
  const keys: JWTVerifyGetKey = (header, token) => {
    counter.lookups++;
    return signer.keys(header, token);
  };
  return { signer, keys, counter };
}

describe("the verified-token cache", () => {
  it("checks a token's signature once and answers the same principal after", async () => {
    const { signer, keys, counter } = await countingSigner();
    const verify = createVerifiedTokenCache(keys);
    const token = await signer.sign({ sub: "42", roles: ["CUSTOMER"], cid: 7n });
    const first = await verify(token);
    const second = await verify(token);
    expect(second).toBe(first);
    expect(first).toMatchObject({ subject: "42", userId: 42n, customerId: 7n });
    expect(counter.lookups).toBe(1);
  });

  it("checks again once the memory's time is up", async () => {
    const { signer, keys, counter } = await countingSigner();
    const verify = createVerifiedTokenCache(keys, { ttlMs: 1 });
    const token = await signer.sign({ sub: "42", roles: ["CUSTOMER"] });
    await verify(token);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await verify(token);
    expect(counter.lookups).toBe(2);
  });

  it("refuses an expired token although it was verified while valid", async () => {
    const { signer, keys } = await countingSigner();
    const verify = createVerifiedTokenCache(keys, { ttlMs: 60_000 });
    const token = await signer.sign({ sub: "42", roles: ["CUSTOMER"] }, { expiresIn: "1s" });
    await expect(verify(token)).resolves.toMatchObject({ subject: "42" });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await expect(verify(token)).rejects.toMatchObject({ message: expect.stringContaining("expired") });
  });

  it("refuses a tampered token every time and keeps no memory of it", async () => {
    const { signer, keys, counter } = await countingSigner();
    const verify = createVerifiedTokenCache(keys);
    const token = await signer.sign({ sub: "42", roles: ["CUSTOMER"] });
    const [head, , sig] = token.split(".");
    const forged = `${head}.${Buffer.from(JSON.stringify({ sub: "1", roles: ["ADMIN"] })).toString("base64url")}.${sig}`;
    await expect(verify(forged)).rejects.toMatchObject({ message: expect.stringContaining("not valid") });
    await expect(verify(forged)).rejects.toMatchObject({ message: expect.stringContaining("not valid") });
    expect(counter.lookups).toBe(2);
  });

  it("forgets the oldest tokens past its size", async () => {
    const { signer, keys, counter } = await countingSigner();
    const verify = createVerifiedTokenCache(keys, { maxEntries: 2 });
    const tokens = await Promise.all(["1", "2", "3"].map((sub) => signer.sign({ sub, roles: ["CUSTOMER"] })));
    for (const token of tokens) await verify(token);
    await verify(tokens[0]!);
    expect(counter.lookups).toBe(4);
  });
});
