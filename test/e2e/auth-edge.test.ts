// The Auth service through the edge, as a user's app sees it (issue #5: "Tests through Envoy cover
// each behaviour"): REST/JSON transcoded by Envoy for most calls, gRPC (a Connect gRPC transport
// over h2c) to the same Envoy URL for the rest, and Envoy's own JWT check in front of both.
//
// Every request of this file comes from one client address, shared with every other test in CI, so
// it keeps failed logins few (6 per run; the per-address limit is 20 in 15 minutes). The per-address
// limit itself is covered by the in-process tests (services/auth/test/login.test.ts), which can
// send each call from an address of its own.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { Code, createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { jest } from "@jest/globals";
import {
  base64url,
  createLocalJWKSet,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
} from "jose";
import { Role } from "../../gen/ts/fidalex/auth/v1/user_pb.js";
import { Health, HealthCheckResponse_ServingStatus } from "../../gen/ts/grpc/health/v1/health_pb.js";
import {
  authClients,
  bearer,
  inspectAccessToken,
  newRegistration,
  reasonOf,
  refusal,
  registerAndLogin,
  uniqueSuffix,
  type AuthClients,
  type Registration,
} from "../../services/auth/test/auth-client-kit.js";
import { rest, type RestResponse } from "../support/edge.js";
import { stackVar } from "../support/stack.js";

jest.setTimeout(120_000);

/** A JSON google.rpc.Status, as Envoy's transcoder answers a refused call. */
interface StatusBody {
  code?: number;
  message?: string;
  details?: Array<
    { "@type": string; reason?: string; metadata?: Record<string, string> } & Record<string, unknown>
  >;
}

/** What a user sees of a refusal: HTTP status, gRPC code and the ErrorInfo reason. */
function refusalOf(res: RestResponse<StatusBody>) {
  const info = res.body?.details?.find((d) => d["@type"] === "type.googleapis.com/google.rpc.ErrorInfo");
  return { status: res.status, code: res.body?.code, reason: info?.reason };
}

/**
 * Envoy's jwt_authn refused the call: 401 (403 for a token of another audience) with a JSON
 * google.rpc.Status of its own (envoy/envoy.yaml, local_reply_config) whose details are empty,
 * unlike a service's, which carry an ErrorInfo: the call never reached a service.
 */
function expectEdgeRejection(res: RestResponse, message: RegExp, status = 401) {
  expect({ status: res.status, body: res.body }).toEqual({
    status,
    body: { code: status === 401 ? 16 : 7, message: expect.stringMatching(message), details: [] },
  });
}

/** A user that registered and logged in over REST. */
interface RestUser {
  registration: Registration;
  userId: string;
  accessToken: string;
  refreshToken: string;
}

async function register(registration: Registration): Promise<string> {
  const res = await rest("POST", "/auth/register", { body: registration });
  expect(res.status).toBe(200);
  return res.body.user.userId;
}

async function login(username: string, password: string) {
  const res = await rest("POST", "/auth/login", { body: { username, password } });
  expect(res.status).toBe(200);
  return {
    accessToken: res.body.tokens.accessToken as string,
    refreshToken: res.body.tokens.refreshToken as string,
    body: res.body,
  };
}

async function signUp(prefix: string): Promise<RestUser> {
  const registration = newRegistration(prefix);
  const userId = await register(registration);
  const { accessToken, refreshToken } = await login(registration.username, registration.password);
  return { registration, userId, accessToken, refreshToken };
}

const refresh = (refreshToken: string) => rest("POST", "/auth/refresh", { body: { refreshToken } });

const now = () => Math.floor(Date.now() / 1000);

describe("Auth through Envoy", () => {
  let sessions: Http2SessionManager;
  let grpc: AuthClients;
  let health: Client<typeof Health>;
  let admin: { accessToken: string; refreshToken: string };

  beforeAll(async () => {
    sessions = new Http2SessionManager(stackVar("ENVOY_URL"));
    const transport = createGrpcTransport({ baseUrl: stackVar("ENVOY_URL"), sessionManager: sessions });
    grpc = authClients(transport);
    health = createClient(Health, transport);
    admin = await login(stackVar("BOOTSTRAP_ADMIN_USERNAME"), stackVar("BOOTSTRAP_ADMIN_PASSWORD"));
  });

  afterAll(() => sessions?.abort());

  describe("registration", () => {
    it("registers a CUSTOMER over REST and refuses a taken username or email with one 409 that tells neither", async () => {
      const registration = newRegistration("edge_reg");
      const res = await rest("POST", "/auth/register", { body: registration });
      expect(res.status).toBe(200);
      expect(res.body.user).toMatchObject({
        userId: expect.stringMatching(/^[1-9][0-9]*$/),
        username: registration.username,
        email: registration.email,
        fullName: registration.fullName,
        isActive: true,
        roles: ["ROLE_CUSTOMER"],
        customerId: "0",
      });
      expect(res.text).not.toContain(registration.password);

      const other = newRegistration("edge_reg");
      const sameUsername = await rest<StatusBody>("POST", "/auth/register", {
        body: { ...other, username: registration.username },
      });
      expect(refusalOf(sameUsername)).toEqual({
        status: 409,
        code: Code.AlreadyExists,
        reason: "REGISTRATION_CONFLICT",
      });
      const sameEmail = await rest<StatusBody>("POST", "/auth/register", {
        body: { ...other, email: registration.email },
      });
      // The same answer, word for word: nothing tells whether the email banks here.
      expect([sameEmail.status, sameEmail.text]).toEqual([sameUsername.status, sameUsername.text]);
    });

    it("refuses a weak password and a malformed email with 400", async () => {
      const weak = await rest<StatusBody>("POST", "/auth/register", {
        body: { ...newRegistration("edge_weak"), password: "onlylowercaseletters" },
      });
      expect(refusalOf(weak)).toEqual({ status: 400, code: Code.InvalidArgument, reason: "WEAK_PASSWORD" });
      expect(weak.text).not.toContain("onlylowercaseletters");

      const malformed = await rest<StatusBody>("POST", "/auth/register", {
        body: { ...newRegistration("edge_mail"), email: "not-an-email" },
      });
      expect(refusalOf(malformed)).toEqual({
        status: 400,
        code: Code.InvalidArgument,
        reason: "INVALID_ARGUMENT",
      });
      expect(malformed.body.details).toContainEqual(
        expect.objectContaining({
          "@type": "type.googleapis.com/google.rpc.BadRequest",
          fieldViolations: [expect.objectContaining({ field: "email" })],
        }),
      );
      for (const res of [weak, malformed]) expect(res.text).not.toMatch(/\bat .+\.(ts|js):\d+|INSERT|SELECT/);
    });

    it("registers and logs in over gRPC through the same edge, with the same refusals", async () => {
      const signedIn = await registerAndLogin(grpc.auth, newRegistration("edge_grpc"));
      expect(signedIn.user.roles).toEqual([Role.CUSTOMER]);
      const again = await refusal(grpc.auth.register(signedIn.registration));
      expect([again.code, reasonOf(again)]).toEqual([Code.AlreadyExists, "REGISTRATION_CONFLICT"]);
      const { user } = await grpc.auth.getMe({}, bearer(signedIn.tokens.accessToken));
      expect(user?.userId).toBe(signedIn.user.userId);
    });
  });

  describe("login", () => {
    it("issues an ES256 access token with the documented claims, verifiable with the published key set", async () => {
      const registration = newRegistration("edge_login");
      const userId = await register(registration);
      const { body } = await login(registration.username, registration.password);
      const jwks = await rest<JSONWebKeySet>("GET", "/.well-known/jwks.json");
      expect(jwks.status).toBe(200);

      const { tokens, user } = body;
      expect(user).toMatchObject({ userId, username: registration.username, roles: ["ROLE_CUSTOMER"] });
      expect(tokens.tokenType).toBe("Bearer");
      expect(tokens.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const { header, claims } = inspectAccessToken(tokens.accessToken);
      expect(header).toEqual({ alg: "ES256", kid: jwks.body.keys[0]!.kid, typ: "JWT" });
      expect(claims).toMatchObject({
        iss: "fidalex-auth",
        aud: "fidalex-mesh",
        sub: userId,
        roles: ["CUSTOMER"],
      });
      expect(claims.cid).toBeUndefined();
      expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
      // Access tokens live 5 minutes; the response says when, to the second.
      expect(claims.exp! - claims.iat!).toBe(5 * 60);
      expect(Math.abs(claims.exp! - (now() + 5 * 60))).toBeLessThan(60);
      expect(claims.ver).toBe(0);
      expect(Date.parse(tokens.accessTokenExpiresAt) / 1000).toBe(claims.exp);
      expect(
        Math.abs(Date.parse(tokens.refreshTokenExpiresAt) / 1000 - (now() + 7 * 24 * 3600)),
      ).toBeLessThan(60);

      // Any client can verify the token with the key set the edge publishes.
      const verified = await jwtVerify(tokens.accessToken, createLocalJWKSet(jwks.body), {
        issuer: "fidalex-auth",
        audience: "fidalex-mesh",
        algorithms: ["ES256"],
      });
      expect(verified.payload.sub).toBe(userId);
    });

    it("refuses a wrong password and an unknown user with identical 401s, then slows the username from this address with 429", async () => {
      // 5 failed logins in all (see the top of the file): 1 for an unknown user, 4 for one username.
      const registration = newRegistration("edge_limit");
      await register(registration);
      const attempt = (username: string, password: string) =>
        rest<StatusBody>("POST", "/auth/login", { body: { username, password } });

      const wrongPassword = await attempt(registration.username, `${registration.password}x`);
      const unknownUser = await attempt(`edge_nobody_${uniqueSuffix()}`, registration.password);
      expect(refusalOf(wrongPassword)).toEqual({
        status: 401,
        code: Code.Unauthenticated,
        reason: "INVALID_CREDENTIALS",
      });
      // Enumeration-safe: nothing in the answer tells which usernames exist.
      expect(unknownUser.status).toBe(wrongPassword.status);
      expect(unknownUser.text).toBe(wrongPassword.text);

      // 3 failures from one address are free; each further one doubles the wait (1 s after the
      // 4th), during which the next attempt from here is not even checked.
      for (let failures = 1; failures < 4; failures++) {
        const res = await attempt(registration.username, `${registration.password}x`);
        expect([failures + 1, res.status]).toEqual([failures + 1, 401]);
      }
      const limited = await attempt(registration.username, registration.password);
      expect(refusalOf(limited)).toEqual({
        status: 429,
        code: Code.ResourceExhausted,
        reason: "TOO_MANY_ATTEMPTS",
      });
      const retryInfo = limited.body.details?.find(
        (d) => d["@type"] === "type.googleapis.com/google.rpc.RetryInfo",
      );
      const retryAfter = Number(String(retryInfo?.retryDelay).replace(/s$/, ""));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(2);
      const errorInfo = limited.body.details?.find(
        (d) => d["@type"] === "type.googleapis.com/google.rpc.ErrorInfo",
      );
      expect(errorInfo?.metadata).toEqual({ retry_after_seconds: String(retryAfter) });

      // It is the username's wait from this address, not the address's: another user still logs
      // in from here, and once the wait is over the right password works.
      await signUp("edge_limit_other");
      await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 100));
      await login(registration.username, registration.password);
    });
  });

  describe("sessions", () => {
    it("rotates refresh tokens; presenting a rotated one revokes its whole family", async () => {
      const user = await signUp("edge_rotate");
      const otherSession = await login(user.registration.username, user.registration.password);

      const first = await refresh(user.refreshToken);
      expect(first.status).toBe(200);
      const r2: string = first.body.tokens.refreshToken;
      expect(r2).not.toBe(user.refreshToken);
      const rotated = inspectAccessToken(first.body.tokens.accessToken).claims;
      expect(rotated).toMatchObject({ sub: user.userId, roles: ["CUSTOMER"] });
      expect(rotated.jti).not.toBe(inspectAccessToken(user.accessToken).claims.jti);
      const second = await refresh(r2);
      expect(second.status).toBe(200);
      const newest: string = second.body.tokens.refreshToken;
      const me = await rest("GET", "/auth/me", { token: second.body.tokens.accessToken });
      expect([me.status, me.body.user?.userId]).toEqual([200, user.userId]);

      // The first token again: someone kept a copy. The whole family ends, the newest token too.
      const reused = await refresh(user.refreshToken);
      expect(refusalOf(reused)).toEqual({
        status: 401,
        code: Code.Unauthenticated,
        reason: "REFRESH_TOKEN_INVALID",
      });
      expect(refusalOf(await refresh(newest))).toEqual(refusalOf(reused));
      expect(refusalOf(await refresh("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))).toEqual(
        refusalOf(reused),
      );

      // Another login of the same user is another family, untouched; over gRPC it rotates alike.
      const { tokens } = await grpc.auth.refreshToken({ refreshToken: otherSession.refreshToken });
      expect(tokens?.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const again = await refusal(grpc.auth.refreshToken({ refreshToken: otherSession.refreshToken }));
      expect([again.code, reasonOf(again)]).toEqual([Code.Unauthenticated, "REFRESH_TOKEN_INVALID"]);
      const family = await refusal(grpc.auth.refreshToken({ refreshToken: tokens!.refreshToken }));
      expect([family.code, reasonOf(family)]).toEqual([Code.Unauthenticated, "REFRESH_TOKEN_INVALID"]);
    });

    it("logs out one session, harmlessly twice, or every session of the user", async () => {
      const user = await signUp("edge_logout");
      const second = await login(user.registration.username, user.registration.password);
      const third = await login(user.registration.username, user.registration.password);

      const logout = (refreshToken: string) =>
        rest("POST", "/auth/logout", { token: user.accessToken, body: { refreshToken } });
      const out = await logout(user.refreshToken);
      expect([out.status, out.body]).toEqual([200, {}]);
      expect(refusalOf(await refresh(user.refreshToken))).toMatchObject({
        status: 401,
        reason: "REFRESH_TOKEN_INVALID",
      });
      expect((await logout(user.refreshToken)).status).toBe(200);

      // The other sessions live on, until one of them logs out everywhere (over gRPC here).
      const renewed = await refresh(second.refreshToken);
      expect(renewed.status).toBe(200);
      await grpc.auth.logout(
        { refreshToken: renewed.body.tokens.refreshToken, allSessions: true },
        bearer(renewed.body.tokens.accessToken),
      );
      expect(refusalOf(await refresh(third.refreshToken))).toMatchObject({
        status: 401,
        reason: "REFRESH_TOKEN_INVALID",
      });
      expect(refusalOf(await refresh(renewed.body.tokens.refreshToken))).toMatchObject({ status: 401 });
    });
  });

  describe("access tokens at the edge", () => {
    let user: RestUser;
    let currentKey: JWK;

    /** Signs claims for the user, valid for 10 minutes unless overridden. */
    const claimsFor = (overrides: JWTPayload = {}): JWTPayload => ({
      iss: "fidalex-auth",
      aud: "fidalex-mesh",
      sub: user.userId,
      roles: ["CUSTOMER"],
      iat: now(),
      exp: now() + 600,
      ...overrides,
    });
    const sign = async (
      claims: JWTPayload,
      key: CryptoKey | Uint8Array,
      alg = "ES256",
      kid = currentKey.kid!,
    ) => new SignJWT(claims).setProtectedHeader({ alg, kid, typ: "JWT" }).sign(key);
    const me = (token: string) => rest("GET", "/auth/me", { token });

    beforeAll(async () => {
      user = await signUp("edge_jwt");
      // The stack's real signing keys (private), current first: a test can sign as the Auth service.
      const file = JSON.parse(readFileSync(stackVar("JWT_KEYS_FILE"), "utf8")) as { keys: JWK[] };
      currentKey = file.keys[0]!;
    });

    it("answers GET /auth/me with the token's user, over REST and gRPC", async () => {
      const res = await me(user.accessToken);
      expect(res.status).toBe(200);
      expect(res.body.user).toMatchObject({
        userId: user.userId,
        username: user.registration.username,
        email: user.registration.email,
        roles: ["ROLE_CUSTOMER"],
        isActive: true,
      });
      const { user: viaGrpc } = await grpc.auth.getMe({}, bearer(user.accessToken));
      expect(viaGrpc?.username).toBe(user.registration.username);
    });

    it("refuses a protected route without a token, or with a malformed one", async () => {
      expectEdgeRejection(await rest("GET", "/auth/me"), /Jwt is missing/);
      expectEdgeRejection(
        await rest("POST", `/auth/users/${user.userId}/roles`, { body: { role: "ROLE_ADMIN" } }),
        /Jwt is missing/,
      );
      expectEdgeRejection(
        await rest("DELETE", `/auth/users/${user.userId}/roles/ROLE_CUSTOMER`),
        /Jwt is missing/,
      );
      expectEdgeRejection(await me("not-a-jwt"), /Jwt/);
      expect((await refusal(grpc.auth.getMe({}))).code).toBe(Code.Unauthenticated);
    });

    it("accepts a token signed with the stack's key (the control for the forgeries below)", async () => {
      const res = await me(await sign(claimsFor(), await importJWK(currentKey, "ES256")));
      expect([res.status, res.body.user?.userId]).toEqual([200, user.userId]);
    });

    it("rejects an expired token with 401 at the edge, over REST and gRPC", async () => {
      // Well past Envoy's 60 s clock-skew allowance.
      const expired = await sign(
        claimsFor({ iat: now() - 3600, exp: now() - 1800 }),
        await importJWK(currentKey, "ES256"),
      );
      expectEdgeRejection(await me(expired), /expired/i);
      expect((await refusal(grpc.auth.getMe({}, bearer(expired)))).code).toBe(Code.Unauthenticated);
    });

    it("rejects tokens signed by another key, unsigned (`alg: none`), HS256, or with foreign claims", async () => {
      const { privateKey: otherKey } = await generateKeyPair("ES256");
      // Another key claiming the real kid, and another key with a kid of its own.
      expectEdgeRejection(await me(await sign(claimsFor(), otherKey)), /verification fails/i);
      expectEdgeRejection(await me(await sign(claimsFor(), otherKey, "ES256", "another-key")), /kid/);

      // Unsigned: `alg: none`, with an empty signature and with a junk one.
      const unsigned = [
        base64url.encode(JSON.stringify({ alg: "none", typ: "JWT", kid: currentKey.kid })),
        base64url.encode(JSON.stringify(claimsFor())),
      ].join(".");
      expectEdgeRejection(await me(`${unsigned}.`), /Jwt/);
      expectEdgeRejection(await me(`${unsigned}.c2lnbmF0dXJl`), /alg\] is not supported/);

      // Algorithm confusion: HMAC keyed with the public key's coordinates.
      const hmacKey = new TextEncoder().encode(JSON.stringify({ x: currentKey.x, y: currentKey.y }));
      expectEdgeRejection(await me(await sign(claimsFor(), hmacKey, "HS256")), /kid or alg/);

      // The real key, but the wrong issuer, not valid yet, or for another audience (Envoy: 403).
      const realKey = await importJWK(currentKey, "ES256");
      expectEdgeRejection(await me(await sign(claimsFor({ iss: "someone-else" }), realKey)), /issuer/);
      expectEdgeRejection(await me(await sign(claimsFor({ nbf: now() + 3600 }), realKey)), /not yet valid/);
      expectEdgeRejection(
        await me(await sign(claimsFor({ aud: "another-mesh" }), realKey)),
        /Audiences/,
        403,
      );
    });
  });

  describe("public routes", () => {
    it("reach the Auth service without a token (its own answers, not Envoy's 401)", async () => {
      // Register and login: a request the service refuses as invalid, so that no user is made and
      // no failed login counted; the JSON status shows the service answered.
      const registerRes = await rest<StatusBody>("POST", "/auth/register", { body: { username: "x" } });
      expect(refusalOf(registerRes)).toMatchObject({ status: 400, code: Code.InvalidArgument });
      const loginRes = await rest<StatusBody>("POST", "/auth/login", {
        body: { username: "", password: "" },
      });
      expect(refusalOf(loginRes)).toMatchObject({ status: 400, code: Code.InvalidArgument });
      const refreshRes = await rest<StatusBody>("POST", "/auth/refresh", {
        body: { refreshToken: "unknown" },
      });
      expect(refusalOf(refreshRes)).toEqual({
        status: 401,
        code: Code.Unauthenticated,
        reason: "REFRESH_TOKEN_INVALID",
      });
      const resetRes = await rest("POST", "/auth/password-reset/request", {
        body: { email: `nobody.${uniqueSuffix()}@example.test` },
      });
      expect([resetRes.status, resetRes.body]).toEqual([200, {}]);
      const confirmRes = await rest<StatusBody>("POST", "/auth/password-reset/confirm", {
        body: { resetToken: "unknown", newPassword: newRegistration().password },
      });
      expect(refusalOf(confirmRes)).toMatchObject({ status: 400, reason: "RESET_TOKEN_INVALID" });
      expect((await rest("GET", "/.well-known/jwks.json")).status).toBe(200);

      // Over gRPC: the health check and the key set.
      expect((await health.check({ service: "" })).status).toBe(HealthCheckResponse_ServingStatus.SERVING);
      expect((await grpc.auth.getJwks({})).keys.length).toBeGreaterThan(0);
    });

    it("publish the key set with the public key only", async () => {
      const res = await rest<JSONWebKeySet>("GET", "/.well-known/jwks.json");
      expect(res.status).toBe(200);
      const current = JSON.parse(readFileSync(stackVar("JWT_KEYS_FILE"), "utf8")).keys[0] as JWK;
      expect(res.body.keys[0]).toMatchObject({
        kty: "EC",
        crv: "P-256",
        alg: "ES256",
        use: "sig",
        kid: current.kid,
        x: current.x,
        y: current.y,
      });
      for (const key of res.body.keys) {
        expect(key).toMatchObject({
          kid: expect.any(String),
          x: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        });
        for (const part of ["d", "p", "q", "dp", "dq", "qi"]) expect(key).not.toHaveProperty(part);
      }
      expect(res.text).not.toContain(current.d!);
      const { keys } = await grpc.auth.getJwks({});
      expect(keys.map((k) => [k.kid, k.x, k.y])).toEqual(res.body.keys.map((k) => [k.kid, k.x, k.y]));
    });
  });

  describe("password reset", () => {
    it("answers a request for a known and an unknown email identically", async () => {
      const user = await signUp("edge_reset");
      const request = (email: string) => rest("POST", "/auth/password-reset/request", { body: { email } });
      const known = await request(user.registration.email);
      const unknown = await request(`nobody.${uniqueSuffix()}@example.test`);
      expect([known.status, known.text]).toEqual([200, "{}"]);
      expect([unknown.status, unknown.text]).toEqual([known.status, known.text]);
      // A request alone changes nothing: the password and the session still work.
      await login(user.registration.username, user.registration.password);
      expect((await refresh(user.refreshToken)).status).toBe(200);

      const malformed = await rest<StatusBody>("POST", "/auth/password-reset/request", {
        body: { email: "not-an-email" },
      });
      expect(refusalOf(malformed)).toMatchObject({ status: 400, code: Code.InvalidArgument });
    });

    it("refuses to confirm with a token that was never issued (400 RESET_TOKEN_INVALID)", async () => {
      // The real token goes to a delivery interface whose default only logs "reset token issued",
      // never the token, so through the edge no test can read it. Confirming with a real token (new
      // password, token used up, sessions ended) is covered in-process, where the test replaces the
      // delivery: services/auth/test/password-reset.test.ts.
      const res = await rest<StatusBody>("POST", "/auth/password-reset/confirm", {
        body: { resetToken: randomBytes(32).toString("base64url"), newPassword: "N3w-Pass-w0rd!" },
      });
      expect(refusalOf(res)).toEqual({
        status: 400,
        code: Code.InvalidArgument,
        reason: "RESET_TOKEN_INVALID",
      });
      const viaGrpc = await refusal(
        grpc.auth.confirmPasswordReset({ resetToken: "never-issued", newPassword: "N3w-Pass-w0rd!" }),
      );
      expect([viaGrpc.code, reasonOf(viaGrpc)]).toEqual([Code.InvalidArgument, "RESET_TOKEN_INVALID"]);
    });
  });

  describe("roles", () => {
    it("let the bootstrap admin assign and revoke TELLER; the user's next tokens carry the change", async () => {
      const user = await signUp("edge_teller");
      const assigned = await rest("POST", `/auth/users/${user.userId}/roles`, {
        token: admin.accessToken,
        body: { role: "ROLE_TELLER" },
      });
      expect(assigned.status).toBe(200);
      expect([...assigned.body.user.roles].sort()).toEqual(["ROLE_CUSTOMER", "ROLE_TELLER"]);

      const next = await login(user.registration.username, user.registration.password);
      expect([...inspectAccessToken(next.accessToken).claims.roles].sort()).toEqual(["CUSTOMER", "TELLER"]);
      const me = await rest("GET", "/auth/me", { token: next.accessToken });
      expect([...me.body.user.roles].sort()).toEqual(["ROLE_CUSTOMER", "ROLE_TELLER"]);

      const revoked = await rest("DELETE", `/auth/users/${user.userId}/roles/ROLE_TELLER`, {
        token: admin.accessToken,
      });
      expect([revoked.status, revoked.body.user?.roles]).toEqual([200, ["ROLE_CUSTOMER"]]);
      const refreshed = await refresh(next.refreshToken);
      expect(inspectAccessToken(refreshed.body.tokens.accessToken).claims.roles).toEqual(["CUSTOMER"]);

      const unknown = await rest<StatusBody>("POST", "/auth/users/9000000000000000000/roles", {
        token: admin.accessToken,
        body: { role: "ROLE_TELLER" },
      });
      expect(refusalOf(unknown)).toEqual({ status: 404, code: Code.NotFound, reason: "USER_NOT_FOUND" });
    });

    it("refuse a non-admin with 403 PERMISSION_DENIED, a CUSTOMER and a TELLER alike", async () => {
      const user = await signUp("edge_escalate");
      const selfPromotion = await rest<StatusBody>("POST", `/auth/users/${user.userId}/roles`, {
        token: user.accessToken,
        body: { role: "ROLE_ADMIN" },
      });
      expect(refusalOf(selfPromotion)).toEqual({
        status: 403,
        code: Code.PermissionDenied,
        reason: "PERMISSION_DENIED",
      });
      const revoking = await rest<StatusBody>("DELETE", `/auth/users/${user.userId}/roles/ROLE_CUSTOMER`, {
        token: user.accessToken,
      });
      expect(refusalOf(revoking)).toEqual(refusalOf(selfPromotion));

      const teller = await signUp("edge_teller_b");
      const promoted = await rest("POST", `/auth/users/${teller.userId}/roles`, {
        token: admin.accessToken,
        body: { role: "ROLE_TELLER" },
      });
      expect(promoted.status).toBe(200);
      const tellerToken = (await login(teller.registration.username, teller.registration.password))
        .accessToken;
      const byTeller = await refusal(
        grpc.auth.assignRole({ userId: BigInt(user.userId), role: Role.TELLER }, bearer(tellerToken)),
      );
      expect([byTeller.code, reasonOf(byTeller)]).toEqual([Code.PermissionDenied, "PERMISSION_DENIED"]);
      const me = await rest("GET", "/auth/me", { token: user.accessToken });
      expect(me.body.user.roles).toEqual(["ROLE_CUSTOMER"]);
    });
  });

  describe("internal RPCs", () => {
    it("are not routed at the edge, even with a valid token (gRPC and HTTP)", async () => {
      const secret = stackVar("FIDALEX_ACCOUNT_CLIENT_SECRET");
      // The edge answers an unknown route to a gRPC client as UNIMPLEMENTED (HTTP 404).
      const notRouted = [Code.NotFound, Code.Unimplemented];
      const issue = await refusal(
        grpc.serviceTokens.issueServiceToken(
          { clientId: "account", clientSecret: secret },
          bearer(admin.accessToken),
        ),
      );
      expect(notRouted).toContain(issue.code);
      const link = await refusal(
        grpc.links.linkCustomer(
          { userId: 9_000_000_000_000_000_000n, customerId: 9_000_000_000_000_000_000n },
          bearer(admin.accessToken),
        ),
      );
      expect(notRouted).toContain(link.code);
      // Without a token, Envoy refuses before it even looks at the route.
      const anonymous = await refusal(
        grpc.serviceTokens.issueServiceToken({ clientId: "account", clientSecret: secret }),
      );
      expect([Code.Unauthenticated, ...notRouted]).toContain(anonymous.code);

      for (const path of [
        "/fidalex.auth.v1.ServiceTokenService/IssueServiceToken",
        "/fidalex.auth.v1.CustomerLinkService/LinkCustomer",
      ]) {
        const res = await rest("POST", path, {
          token: admin.accessToken,
          body: { clientId: "account", clientSecret: secret },
        });
        expect([path, res.status]).toEqual([path, 404]);
        expect(res.text).not.toMatch(/accessToken/);
      }
    });
  });
});
