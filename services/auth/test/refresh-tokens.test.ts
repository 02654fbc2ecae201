// RefreshToken and Logout: refresh tokens are single use and rotated; presenting a rotated token
// revokes its whole family (theft detection); expired and revoked tokens are refused; logout ends
// one session or all of them.
import { createHash } from "node:crypto";
import { Code } from "@connectrpc/connect";
import {
  bearer,
  inspectAccessToken,
  reasonOf,
  refusal,
  registerAndLogin,
  type AuthClients,
} from "./auth-client-kit.js";
import { eventuallyPasses } from "../../../test/support/eventually.js";
import { useAuthTestServer, type AuthTestServer } from "./auth-test-server.js";

let server: AuthTestServer;
let auth: AuthClients["auth"];

useAuthTestServer((started) => {
  ({ server, auth } = started);
});

const sha256 = (token: string) => createHash("sha256").update(token).digest("hex");

async function expectRefreshRefused(refreshToken: string) {
  const error = await refusal(auth.refreshToken({ refreshToken }));
  expect(error.code).toBe(Code.Unauthenticated);
  expect(reasonOf(error)).toBe("REFRESH_TOKEN_INVALID");
}

describe("RefreshToken", () => {
  it("exchanges a refresh token for a new pair in the same family", async () => {
    const { user, tokens } = await registerAndLogin(auth);
    const { tokens: next } = await auth.refreshToken({ refreshToken: tokens.refreshToken });
    expect(next!.refreshToken).not.toBe(tokens.refreshToken);
    expect(next!.accessToken).not.toBe(tokens.accessToken);
    expect(inspectAccessToken(next!.accessToken).claims.sub).toBe(user.userId.toString());
    expect((await auth.getMe({}, bearer(next!.accessToken))).user?.userId).toBe(user.userId);

    const { rows } = await server.db.query<{
      token: string;
      family_id: string;
      used_at: Date | null;
      replaced_by: string | null;
      token_id: string;
    }>(
      "SELECT token_id, token, family_id, used_at, replaced_by FROM refresh_tokens WHERE user_id = $1 ORDER BY token_id",
      [user.userId.toString()],
    );
    expect(rows.map((r) => r.token)).toEqual([sha256(tokens.refreshToken), sha256(next!.refreshToken)]);
    expect(rows[0]!.family_id).toBe(rows[1]!.family_id);
    expect(rows[0]!.used_at).not.toBeNull();
    expect(rows[0]!.replaced_by).toBe(rows[1]!.token_id);
    expect(rows[1]!.used_at).toBeNull();
  });

  it("refuses a rotated token and revokes its whole family, including the live successor", async () => {
    const { user, tokens: first } = await registerAndLogin(auth);
    const { tokens: second } = await auth.refreshToken({ refreshToken: first.refreshToken });
    const { tokens: third } = await auth.refreshToken({ refreshToken: second!.refreshToken });

    // The first token shows up again: someone else has a copy.
    await expectRefreshRefused(first.refreshToken);
    await expectRefreshRefused(third!.refreshToken);

    const { rows } = await server.db.query<{ revoked: boolean }>(
      "SELECT revoked FROM refresh_tokens WHERE user_id = $1",
      [user.userId.toString()],
    );
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.revoked)).toBe(true);
  });

  it("revokes only the reused family, not the user's other sessions", async () => {
    const { registration, tokens: laptop } = await registerAndLogin(auth);
    const { tokens: phone } = await auth.login({
      username: registration.username,
      password: registration.password,
    });
    await auth.refreshToken({ refreshToken: laptop.refreshToken });
    await expectRefreshRefused(laptop.refreshToken);
    expect(
      (await auth.refreshToken({ refreshToken: phone!.refreshToken })).tokens?.refreshToken,
    ).toBeTruthy();
  });

  it("lets exactly one of two concurrent refreshes of the same token win, and then revokes the family", async () => {
    const { tokens } = await registerAndLogin(auth);
    const results = await Promise.allSettled([
      auth.refreshToken({ refreshToken: tokens.refreshToken }),
      auth.refreshToken({ refreshToken: tokens.refreshToken }),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    expect(won).toHaveLength(1);
    await expectRefreshRefused(won[0]!.value.tokens!.refreshToken);
  });

  it("refuses an expired refresh token", async () => {
    const { tokens } = await registerAndLogin(auth);
    await server.db.query(
      "UPDATE refresh_tokens SET expires_at = NOW() - INTERVAL '1 second' WHERE token = $1",
      [sha256(tokens.refreshToken)],
    );
    await expectRefreshRefused(tokens.refreshToken);
  });

  it("refuses an unknown refresh token", async () => {
    await expectRefreshRefused("bm90LWEtcmVhbC10b2tlbi1ub3QtYS1yZWFsLXRva2Vu");
  });

  it("refuses the refresh tokens of a deactivated user", async () => {
    const { user, tokens } = await registerAndLogin(auth);
    await server.db.query("UPDATE users SET is_active = FALSE WHERE user_id = $1", [user.userId.toString()]);
    await expectRefreshRefused(tokens.refreshToken);
  });

  it("puts the user's current roles into the refreshed access token", async () => {
    const { user, tokens } = await registerAndLogin(auth);
    await server.db.query(
      "INSERT INTO user_roles (user_id, role_id) SELECT $1, role_id FROM roles WHERE role_name = 'TELLER'",
      [user.userId.toString()],
    );
    const { tokens: next } = await auth.refreshToken({ refreshToken: tokens.refreshToken });
    expect(inspectAccessToken(next!.accessToken).claims.roles).toEqual(["CUSTOMER", "TELLER"]);
  });
});

describe("Logout", () => {
  it("revokes the presented refresh token, and succeeds again when retried", async () => {
    const { tokens } = await registerAndLogin(auth);
    await auth.logout({ refreshToken: tokens.refreshToken });
    await expectRefreshRefused(tokens.refreshToken);
    await auth.logout({ refreshToken: tokens.refreshToken });
  });

  it("refuses a token that was never issued with UNAUTHENTICATED (REFRESH_TOKEN_INVALID), as refresh does", async () => {
    const error = await refusal(auth.logout({ refreshToken: "bm90LWEtcmVhbC10b2tlbg" }));
    expect([error.code, reasonOf(error)]).toEqual([Code.Unauthenticated, "REFRESH_TOKEN_INVALID"]);
  });

  it("revokes the user's access tokens within seconds (TOKEN_REVOKED); a refresh of another session gets a working one", async () => {
    const { registration, tokens } = await registerAndLogin(auth);
    const { tokens: phone } = await auth.login({
      username: registration.username,
      password: registration.password,
    });
    expect((await auth.getMe({}, bearer(tokens.accessToken))).user).toBeDefined();
    await auth.logout({ refreshToken: tokens.refreshToken });
    const revokedAt = Date.now();
    await eventuallyPasses(
      "the access token to be refused",
      async () => {
        const error = await refusal(auth.getMe({}, bearer(tokens.accessToken)));
        expect([error.code, reasonOf(error)]).toEqual([Code.Unauthenticated, "TOKEN_REVOKED"]);
      },
      { timeoutMs: 5_000, intervalMs: 100 },
    );
    expect(Date.now() - revokedAt).toBeLessThan(2_500);
    const { tokens: renewed } = await auth.refreshToken({ refreshToken: phone!.refreshToken });
    expect(inspectAccessToken(renewed!.accessToken).claims.ver).toBe(1);
    expect((await auth.getMe({}, bearer(renewed!.accessToken))).user?.username).toBe(registration.username);
  });

  it("ends only the presented session by default", async () => {
    const { registration, tokens: laptop } = await registerAndLogin(auth);
    const { tokens: phone } = await auth.login({
      username: registration.username,
      password: registration.password,
    });
    await auth.logout({ refreshToken: laptop.refreshToken });
    expect((await auth.refreshToken({ refreshToken: phone!.refreshToken })).tokens).toBeDefined();
  });

  it("ends every session of the user with all_sessions", async () => {
    const { registration, tokens: laptop } = await registerAndLogin(auth);
    const { tokens: phone } = await auth.login({
      username: registration.username,
      password: registration.password,
    });
    await auth.logout({ refreshToken: laptop.refreshToken, allSessions: true });
    await expectRefreshRefused(laptop.refreshToken);
    await expectRefreshRefused(phone!.refreshToken);
  });

  it("does not let a revoked token end the user's other sessions", async () => {
    const { registration, tokens: old } = await registerAndLogin(auth);
    await auth.logout({ refreshToken: old.refreshToken });
    const { tokens: current } = await auth.login({
      username: registration.username,
      password: registration.password,
    });
    await auth.logout({ refreshToken: old.refreshToken, allSessions: true });
    expect((await auth.refreshToken({ refreshToken: current!.refreshToken })).tokens).toBeDefined();
  });
});
