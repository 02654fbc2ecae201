// Access tokens as GetMe sees them (the server verifies with its own key set), the published key
// set (GetJwks and /.well-known/jwks.json), and key rotation.
import * as http2 from "node:http2";
import { Code } from "@connectrpc/connect";
import { importJWK, SignJWT, UnsecuredJWT, type JWK } from "jose";
import { Role } from "../../../gen/ts/fidalex/auth/v1/user_pb.js";
import { generateSigningKey } from "../keys/signing-key-set.js";
import {
  authClients,
  bearer,
  inspectAccessToken,
  randomAddress,
  reasonOf,
  refusal,
  registerAndLogin,
  type AuthClients,
  type SignedInUser,
} from "./auth-client-kit.js";
import { startAuthTestServer, useAuthTestServer, type AuthTestServer } from "./auth-test-server.js";

let server: AuthTestServer;
let auth: AuthClients["auth"];
let alice: SignedInUser;

useAuthTestServer(async (started) => {
  ({ server, auth } = started);
  alice = await registerAndLogin(auth);
});

/** Signs claims like the service does, with any key and header. */
async function forge(key: JWK, claims: Record<string, unknown>, kid = key.kid): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: "fidalex-auth",
    aud: "fidalex-mesh",
    sub: alice.user.userId.toString(),
    roles: ["CUSTOMER"],
    iat: now,
    exp: now + 900,
    ...claims,
  })
    .setProtectedHeader({ alg: "ES256", kid, typ: "JWT" })
    .sign(await importJWK(key, "ES256"));
}

describe("GetMe", () => {
  it("returns the profile the access token names", async () => {
    const { user } = await auth.getMe({}, bearer(alice.tokens.accessToken));
    expect(user).toMatchObject({
      userId: alice.user.userId,
      username: alice.registration.username,
      email: alice.registration.email,
      roles: [Role.CUSTOMER],
      customerId: 0n,
      isActive: true,
    });
  });

  it("refuses a call without a token (TOKEN_MISSING)", async () => {
    const error = await refusal(auth.getMe({}));
    expect(error.code).toBe(Code.Unauthenticated);
    expect(reasonOf(error)).toBe("TOKEN_MISSING");
  });

  it("accepts a token the test signs with the service's key (the forgery helper is faithful)", async () => {
    const { user } = await auth.getMe({}, bearer(await forge(server.signingKeys[0]!, {})));
    expect(user?.userId).toBe(alice.user.userId);
  });

  it("refuses an expired token (TOKEN_EXPIRED)", async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await forge(server.signingKeys[0]!, { iat: now - 1000, exp: now - 100 });
    const error = await refusal(auth.getMe({}, bearer(expired)));
    expect(error.code).toBe(Code.Unauthenticated);
    expect(reasonOf(error)).toBe("TOKEN_EXPIRED");
  });

  it("refuses a token signed by another key under the service's kid (TOKEN_INVALID)", async () => {
    const intruder = await generateSigningKey();
    const error = await refusal(
      auth.getMe({}, bearer(await forge(intruder, {}, server.service.deps.keys.currentKeyId))),
    );
    expect(error.code).toBe(Code.Unauthenticated);
    expect(reasonOf(error)).toBe("TOKEN_INVALID");
  });

  it("refuses a token signed by a key the service does not know (TOKEN_INVALID)", async () => {
    const error = await refusal(auth.getMe({}, bearer(await forge(await generateSigningKey(), {}))));
    expect(reasonOf(error)).toBe("TOKEN_INVALID");
  });

  it('refuses an unsigned token ("alg": "none")', async () => {
    const unsigned = new UnsecuredJWT({ roles: ["ADMIN"] })
      .setIssuer("fidalex-auth")
      .setAudience("fidalex-mesh")
      .setSubject(alice.user.userId.toString())
      .setIssuedAt()
      .setExpirationTime("15m")
      .encode();
    expect(inspectAccessToken(unsigned).header.alg).toBe("none");
    const error = await refusal(auth.getMe({}, bearer(unsigned)));
    expect(error.code).toBe(Code.Unauthenticated);
    expect(reasonOf(error)).toBe("TOKEN_INVALID");
  });

  it("refuses a token for another audience or from another issuer", async () => {
    for (const claims of [{ aud: "someone-else" }, { iss: "not-fidalex" }]) {
      const error = await refusal(auth.getMe({}, bearer(await forge(server.signingKeys[0]!, claims))));
      expect(reasonOf(error)).toBe("TOKEN_INVALID");
    }
  });

  it("refuses a deactivated user's token before it expires", async () => {
    const bob = await registerAndLogin(auth);
    await server.db.query("UPDATE users SET is_active = FALSE WHERE user_id = $1", [
      bob.user.userId.toString(),
    ]);
    const error = await refusal(auth.getMe({}, bearer(bob.tokens.accessToken)));
    expect(error.code).toBe(Code.Unauthenticated);
  });
});

/** GET over HTTP/2 cleartext (the server speaks only h2c), as Envoy's JWKS fetch does. */
function getOverH2c(
  baseUrl: string,
  path: string,
): Promise<{ status: number; headers: http2.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(baseUrl);
    session.on("error", reject);
    const req = session.request({ ":path": path, ":method": "GET" });
    let body = "";
    let headers: http2.IncomingHttpHeaders = {};
    req.setEncoding("utf8");
    req.on("response", (h) => (headers = h));
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      session.close();
      resolve({ status: Number(headers[":status"]), headers, body });
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the published key set", () => {
  it("GetJwks returns the public key tokens name, without its private part", async () => {
    const { keys } = await auth.getJwks({});
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({
      kty: "EC",
      crv: "P-256",
      alg: "ES256",
      use: "sig",
      kid: inspectAccessToken(alice.tokens.accessToken).header.kid,
      x: server.signingKeys[0]!.x,
      y: server.signingKeys[0]!.y,
    });
    expect(JSON.stringify(keys)).not.toContain(server.signingKeys[0]!.d);
  });

  it("serves the same keys as JSON at GET /.well-known/jwks.json", async () => {
    const { status, headers, body } = await getOverH2c(server.url, "/.well-known/jwks.json");
    expect(status).toBe(200);
    expect(headers["content-type"]).toBe("application/json");
    expect(headers["cache-control"]).toMatch(/max-age=\d+/);
    const document = JSON.parse(body) as { keys: JWK[] };
    expect(document.keys).toEqual([
      {
        kty: "EC",
        crv: "P-256",
        x: server.signingKeys[0]!.x,
        y: server.signingKeys[0]!.y,
        kid: server.service.deps.keys.currentKeyId,
        alg: "ES256",
        use: "sig",
      },
    ]);
  });

  it("answers 404 for other plain HTTP paths", async () => {
    expect((await getOverH2c(server.url, "/.well-known/other")).status).toBe(404);
  });
});

describe("key rotation", () => {
  let rotated: AuthTestServer | undefined;
  let retired: AuthTestServer | undefined;

  afterAll(async () => {
    await rotated?.close();
    await retired?.close();
  });

  it("signs with the new key, publishes the previous one and accepts its tokens until it is removed", async () => {
    const newKey = await generateSigningKey();
    const previousKey = server.signingKeys[0]!;
    rotated = await startAuthTestServer({ signingKeys: [newKey, { ...previousKey, d: undefined }] });
    const rotatedAuth = authClients(rotated.transportFrom(randomAddress())).auth;

    const { keys } = await rotatedAuth.getJwks({});
    expect(keys.map((k) => k.kid)).toEqual([newKey.kid, previousKey.kid]);

    // A token signed before the rotation is still good...
    const { user } = await rotatedAuth.getMe({}, bearer(alice.tokens.accessToken));
    expect(user?.userId).toBe(alice.user.userId);
    // ...and new tokens carry the new kid.
    const { tokens } = await rotatedAuth.login({
      username: alice.registration.username,
      password: alice.registration.password,
    });
    expect(inspectAccessToken(tokens!.accessToken).header.kid).toBe(newKey.kid);

    // Once the previous key is dropped (its tokens have expired), its tokens are refused.
    retired = await startAuthTestServer({ signingKeys: [newKey] });
    const retiredAuth = authClients(retired.transportFrom(randomAddress())).auth;
    expect(reasonOf(await refusal(retiredAuth.getMe({}, bearer(alice.tokens.accessToken))))).toBe(
      "TOKEN_INVALID",
    );
    expect((await retiredAuth.getMe({}, bearer(tokens!.accessToken))).user?.userId).toBe(alice.user.userId);
  });
});
