// Login: a token pair with the documented claims; one identical refusal for unknown users, wrong
// passwords and deactivated users, taking comparable time; and, in Redis, waits that double per
// username and client address (no lockout anyone else can trigger) and a limit per address.
import { createHash } from "node:crypto";
import { Code } from "@connectrpc/connect";
import { Role } from "../../../gen/ts/fidalex/auth/v1/user_pb.js";
import {
  authClients,
  inspectAccessToken,
  newRegistration,
  observable,
  randomAddress,
  reasonOf,
  refusal,
  registerAndLogin,
  retryDelaySeconds,
} from "./auth-client-kit.js";
import { startAuthTestServer, useAuthTestServer, type AuthTestServer } from "./auth-test-server.js";

let server: AuthTestServer;

/** The AuthService client for calls that come from the address. */
const authFrom = (address: string) => authClients(server.transportFrom(address)).auth;

useAuthTestServer((started) => {
  server = started.server;
});

describe("Login", () => {
  it("issues an ES256 access token with the documented claims and an opaque refresh token", async () => {
    const auth = authFrom(randomAddress());
    const { user, tokens } = await registerAndLogin(auth);
    const { header, claims } = inspectAccessToken(tokens.accessToken);
    expect(header).toMatchObject({ alg: "ES256", kid: server.service.deps.keys.currentKeyId, typ: "JWT" });
    expect(claims).toMatchObject({
      iss: "fidalex-auth",
      aud: "fidalex-mesh",
      sub: user.userId.toString(),
      roles: ["CUSTOMER"],
      ver: 0,
    });
    expect(claims.cid).toBeUndefined();
    // 5 minutes: a short life bounds what a token can do when Redis cannot tell it is revoked.
    expect(claims.exp! - claims.iat!).toBe(300);
    expect(Math.abs(claims.iat! - Date.now() / 1000)).toBeLessThan(30);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(tokens.tokenType).toBe("Bearer");
    expect(Number(tokens.accessTokenExpiresAt!.seconds)).toBe(claims.exp);
    expect(tokens.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(user.roles).toEqual([Role.CUSTOMER]);
  });

  it("stores the refresh token only as its SHA-256 hash", async () => {
    const { user, tokens } = await registerAndLogin(authFrom(randomAddress()));
    const { rows } = await server.db.query<{ token: string }>(
      "SELECT token FROM refresh_tokens WHERE user_id = $1",
      [user.userId.toString()],
    );
    expect(rows.map((r) => r.token)).toEqual([
      createHash("sha256").update(tokens.refreshToken).digest("hex"),
    ]);
  });

  it("matches the username regardless of case", async () => {
    const auth = authFrom(randomAddress());
    const registration = newRegistration("Case");
    await auth.register(registration);
    const { user } = await auth.login({
      username: registration.username.toLowerCase(),
      password: registration.password,
    });
    expect(user!.username).toBe(registration.username);
  });

  it("refuses an unknown user, a wrong password and a deactivated user identically", async () => {
    const auth = authFrom(randomAddress());
    const { registration } = await registerAndLogin(auth);
    const inactive = await registerAndLogin(auth);
    await server.db.query("UPDATE users SET is_active = FALSE WHERE user_id = $1", [
      inactive.user.userId.toString(),
    ]);

    const unknown = await refusal(
      auth.login({ username: `nobody_${registration.username}`, password: "whatever" }),
    );
    const wrong = await refusal(
      auth.login({ username: registration.username, password: "not-the-password" }),
    );
    const deactivated = await refusal(
      auth.login({ username: inactive.registration.username, password: inactive.registration.password }),
    );
    expect(unknown.code).toBe(Code.Unauthenticated);
    expect(reasonOf(unknown)).toBe("INVALID_CREDENTIALS");
    expect(observable(wrong)).toEqual(observable(unknown));
    expect(observable(deactivated)).toEqual(observable(unknown));
  });

  it("takes comparable time to refuse an unknown user and a wrong password", async () => {
    const { registration } = await registerAndLogin(authFrom(randomAddress()));
    const unknownTimes: number[] = [];
    const wrongTimes: number[] = [];
    const timed = async (call: Promise<unknown>) => {
      const started = performance.now();
      await refusal(call);
      return performance.now() - started;
    };
    // Interleaved, each from its own address, so load and rate limits affect both alike.
    for (let i = 0; i < 4; i++) {
      unknownTimes.push(
        await timed(
          authFrom(randomAddress()).login({ username: `ghost_${i}_${registration.username}`, password: "x" }),
        ),
      );
      wrongTimes.push(
        await timed(authFrom(randomAddress()).login({ username: registration.username, password: "x" })),
      );
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    // Without the dummy verification an unknown user is refused in about 1 ms, a wrong password in
    // tens of milliseconds (argon2id, 19 MiB): the ratio would be far below one half.
    expect(median(unknownTimes) / median(wrongTimes)).toBeGreaterThan(0.5);
    expect(median(wrongTimes) / median(unknownTimes)).toBeGreaterThan(0.5);
  });
});

describe("Login rate limits", () => {
  const pair = (username: string, address: string) => `rl:login:pair:${username.toLowerCase()}:${address}`;

  it("slows guessing from one address: 3 failures are free, then each doubles the wait (TOO_MANY_ATTEMPTS with a RetryInfo), even for the right password", async () => {
    const address = randomAddress();
    const { registration } = await registerAndLogin(authFrom(randomAddress()));
    for (let i = 0; i < 4; i++) {
      const error = await refusal(
        authFrom(address).login({ username: registration.username, password: "nope" }),
      );
      expect(reasonOf(error)).toBe("INVALID_CREDENTIALS");
    }
    const error = await refusal(
      authFrom(address).login({ username: registration.username, password: registration.password }),
    );
    expect(error.code).toBe(Code.ResourceExhausted);
    expect(reasonOf(error)).toBe("TOO_MANY_ATTEMPTS");
    expect(retryDelaySeconds(error)).toBe(1);
    expect(await server.redis.hget(pair(registration.username, address), "n")).toBe("4");

    // After the wait one more guess is checked, and the next wait is twice as long.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await refusal(authFrom(address).login({ username: registration.username, password: "nope" }));
    const longer = await refusal(
      authFrom(address).login({ username: registration.username, password: registration.password }),
    );
    expect(reasonOf(longer)).toBe("TOO_MANY_ATTEMPTS");
    expect(retryDelaySeconds(longer)).toBe(2);
  });

  it("cannot lock anyone out: after 30 wrong passwords for the admin from one address, the admin logs in from another at once", async () => {
    const attacker = randomAddress();
    const answers = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const error = await refusal(
        authFrom(attacker).login({ username: server.admin.username, password: "guess" }),
      );
      answers.add(reasonOf(error) ?? "");
    }
    expect([...answers].sort()).toEqual(["INVALID_CREDENTIALS", "TOO_MANY_ATTEMPTS"]);
    // Only a few guesses were checked: the rest came during the waits.
    const checked = Number(await server.redis.hget(pair(server.admin.username, attacker), "n"));
    expect(checked).toBeGreaterThanOrEqual(4);
    expect(checked).toBeLessThanOrEqual(6);
    const { tokens } = await authFrom(randomAddress()).login({
      username: server.admin.username,
      password: server.admin.password,
    });
    expect(tokens?.accessToken).toBeTruthy();
  });

  it("applies the waits to unknown usernames too, so they reveal nothing", async () => {
    const address = randomAddress();
    const username = `ghost_${newRegistration().username}`;
    for (let i = 0; i < 4; i++) await refusal(authFrom(address).login({ username, password: "nope" }));
    const error = await refusal(authFrom(address).login({ username, password: "nope" }));
    expect(reasonOf(error)).toBe("TOO_MANY_ATTEMPTS");
  });

  it("refuses a client address after 20 failures, for any username, and not other addresses", async () => {
    const address = randomAddress();
    const victim = newRegistration("victim");
    await authFrom(randomAddress()).register(victim);
    for (let i = 0; i < 20; i++) {
      await refusal(
        authFrom(address).login({ username: `spray_${i}_${victim.username}`, password: "Spring2024!" }),
      );
    }
    const error = await refusal(
      authFrom(address).login({ username: victim.username, password: victim.password }),
    );
    expect(error.code).toBe(Code.ResourceExhausted);
    expect(reasonOf(error)).toBe("TOO_MANY_ATTEMPTS");
    expect(await server.redis.get(`rl:login:ip:${address}`)).toBe("20");

    const elsewhere = await authFrom(randomAddress()).login({
      username: victim.username,
      password: victim.password,
    });
    expect(elsewhere.tokens?.accessToken).toBeTruthy();
  });

  it("takes the client address from x-envoy-external-address before x-forwarded-for on calls with the edge's proof", async () => {
    const edgeAddress = randomAddress();
    const auth = authClients(server.transportFrom(randomAddress())).auth;
    const headers = { "x-envoy-external-address": edgeAddress };
    await refusal(
      auth.login({ username: `ghost_${newRegistration().username}`, password: "nope" }, { headers }),
    );
    expect(await server.redis.get(`rl:login:ip:${edgeAddress}`)).toBe("1");
  });

  it("ignores forwarded addresses on calls without the edge's proof (straight at the service's port): the TCP peer counts", async () => {
    const forged = [randomAddress(), randomAddress()];
    const username = `ghost_${newRegistration().username}`;
    const auth = authClients(server.transport).auth;
    for (const proof of [undefined, "not-the-edge-secret-at-all"]) {
      const headers: Record<string, string> = {
        "x-forwarded-for": forged[0]!,
        "x-envoy-external-address": forged[1]!,
        ...(proof ? { "x-fidalex-edge": proof } : {}),
      };
      await refusal(auth.login({ username, password: "nope" }, { headers }));
    }
    for (const address of forged) expect(await server.redis.get(`rl:login:ip:${address}`)).toBeNull();
    expect(await server.redis.hget(pair(username, "127.0.0.1"), "n")).toBe("2");
    await server.redis.del(pair(username, "127.0.0.1"));
    await server.redis.decrby("rl:login:ip:127.0.0.1", 2);
  });

  it("clears a username's failures from an address after a successful login from there", async () => {
    const auth = authFrom(randomAddress());
    const { registration } = await registerAndLogin(auth);
    const fail = () => refusal(auth.login({ username: registration.username, password: "nope" }));
    for (let i = 0; i < 3; i++) await fail();
    await auth.login({ username: registration.username, password: registration.password });
    for (let i = 0; i < 4; i++) expect(reasonOf(await fail())).toBe("INVALID_CREDENTIALS");
  });
});

describe("Login without Redis", () => {
  let redisless: AuthTestServer | undefined;

  afterAll(() => redisless?.close());

  it("still logs users in when Redis is unreachable (the limit is not applied) and answers promptly", async () => {
    redisless = await startAuthTestServer({ env: { REDIS_URL: "redis://127.0.0.1:1" } });
    const auth = authClients(redisless.transportFrom(randomAddress())).auth;
    const registration = newRegistration("noredis");
    await auth.register(registration);
    const started = performance.now();
    const { tokens } = await auth.login({ username: registration.username, password: registration.password });
    expect(tokens?.accessToken).toBeTruthy();
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(reasonOf(await refusal(auth.login({ username: registration.username, password: "nope" })))).toBe(
      "INVALID_CREDENTIALS",
    );
  });
});
