// Password reset: the request reveals nothing and hands a single-use, expiring token (stored only
// hashed) to the delivery channel; confirming it sets a new password under the policy and ends
// every session.
import { createHash } from "node:crypto";
import { Writable } from "node:stream";
import { Code } from "@connectrpc/connect";
import { pino } from "pino";
import { BadRequestSchema } from "../../../gen/ts/google/rpc/error_details_pb.js";
import { createLoggingResetTokenDelivery } from "../password-reset/reset-token-delivery.js";
import {
  newRegistration,
  observable,
  reasonOf,
  refusal,
  registerAndLogin,
  type AuthClients,
  type SignedInUser,
} from "./auth-client-kit.js";
import { useAuthTestServer, type AuthTestServer } from "./auth-test-server.js";

let server: AuthTestServer;
let auth: AuthClients["auth"];

useAuthTestServer((started) => {
  ({ server, auth } = started);
});

const sha256 = (token: string) => createHash("sha256").update(token).digest("hex");

/** Requests a reset for the user and returns the token the delivery channel received. */
async function resetTokenFor(user: SignedInUser): Promise<string> {
  const before = server.resetNotices.length;
  await auth.requestPasswordReset({ email: user.registration.email });
  expect(server.resetNotices).toHaveLength(before + 1);
  const notice = server.resetNotices.at(-1)!;
  expect(notice.userId).toBe(user.user.userId);
  return notice.resetToken;
}

const strongPassword = () => `N3w-${newRegistration().password}`;

describe("RequestPasswordReset", () => {
  it("hands a token to the delivery channel and stores only its hash, expiring in 30 minutes", async () => {
    const alice = await registerAndLogin(auth);
    const token = await resetTokenFor(alice);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const { rows } = await server.db.query<{ reset_token: string; expires_at: Date; is_used: boolean }>(
      "SELECT reset_token, expires_at, is_used FROM password_reset_requests WHERE user_id = $1",
      [alice.user.userId.toString()],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.reset_token).toBe(sha256(token));
    expect(rows[0]!.is_used).toBe(false);
    const minutes = (rows[0]!.expires_at.getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(29);
    expect(minutes).toBeLessThanOrEqual(30);
  });

  it("answers an unknown email exactly as a known one, and delivers nothing", async () => {
    const before = server.resetNotices.length;
    const known = await registerAndLogin(auth);
    const knownAnswer = await auth.requestPasswordReset({ email: known.registration.email });
    const unknownAnswer = await auth.requestPasswordReset({ email: `nobody.${known.registration.email}` });
    expect(unknownAnswer).toEqual(knownAnswer);
    expect(server.resetNotices).toHaveLength(before + 1);
  });

  it("finds the user by email regardless of case", async () => {
    const alice = await registerAndLogin(auth);
    const before = server.resetNotices.length;
    await auth.requestPasswordReset({ email: alice.registration.email.toUpperCase() });
    expect(server.resetNotices).toHaveLength(before + 1);
  });

  it("by default logs that a token was issued, never the token", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const delivery = createLoggingResetTokenDelivery(pino(sink));
    await delivery.deliver({
      userId: 42n,
      email: "a@example.test",
      resetToken: "s3cr3t-token-value",
      expiresAt: new Date(),
    });
    expect(lines.join("")).toContain("reset token issued for user 42");
    expect(lines.join("")).not.toContain("s3cr3t-token-value");
  });
});

describe("ConfirmPasswordReset", () => {
  it("sets the new password, uses the token up and ends every session", async () => {
    const alice = await registerAndLogin(auth);
    const token = await resetTokenFor(alice);
    const newPassword = strongPassword();
    await auth.confirmPasswordReset({ resetToken: token, newPassword });

    const old = await refusal(
      auth.login({ username: alice.registration.username, password: alice.registration.password }),
    );
    expect(reasonOf(old)).toBe("INVALID_CREDENTIALS");
    expect(
      (await auth.login({ username: alice.registration.username, password: newPassword })).tokens,
    ).toBeDefined();

    const refresh = await refusal(auth.refreshToken({ refreshToken: alice.tokens.refreshToken }));
    expect(reasonOf(refresh)).toBe("REFRESH_TOKEN_INVALID");

    const again = await refusal(
      auth.confirmPasswordReset({ resetToken: token, newPassword: strongPassword() }),
    );
    expect(again.code).toBe(Code.InvalidArgument);
    expect(reasonOf(again)).toBe("RESET_TOKEN_INVALID");
  });

  it("refuses a weak new password (WEAK_PASSWORD) and keeps the token usable", async () => {
    const alice = await registerAndLogin(auth);
    const token = await resetTokenFor(alice);
    const weak = await refusal(
      auth.confirmPasswordReset({ resetToken: token, newPassword: `${alice.registration.username}-A1` }),
    );
    expect(weak.code).toBe(Code.InvalidArgument);
    expect(reasonOf(weak)).toBe("WEAK_PASSWORD");
    expect(weak.findDetails(BadRequestSchema)[0]?.fieldViolations[0]?.field).toBe("new_password");
    await auth.confirmPasswordReset({ resetToken: token, newPassword: strongPassword() });
  });

  it("refuses an expired token", async () => {
    const alice = await registerAndLogin(auth);
    const token = await resetTokenFor(alice);
    await server.db.query(
      "UPDATE password_reset_requests SET expires_at = NOW() - INTERVAL '1 second' WHERE reset_token = $1",
      [sha256(token)],
    );
    const error = await refusal(
      auth.confirmPasswordReset({ resetToken: token, newPassword: strongPassword() }),
    );
    expect(reasonOf(error)).toBe("RESET_TOKEN_INVALID");
  });

  it("refuses an unknown token exactly like an expired one", async () => {
    const alice = await registerAndLogin(auth);
    const token = await resetTokenFor(alice);
    await server.db.query("UPDATE password_reset_requests SET expires_at = NOW() WHERE reset_token = $1", [
      sha256(token),
    ]);
    const expired = await refusal(
      auth.confirmPasswordReset({ resetToken: token, newPassword: strongPassword() }),
    );
    const unknown = await refusal(
      auth.confirmPasswordReset({ resetToken: "not-a-token", newPassword: strongPassword() }),
    );
    expect(observable(unknown)).toEqual(observable(expired));
  });

  it("lets only the latest of several requested tokens work", async () => {
    const alice = await registerAndLogin(auth);
    const first = await resetTokenFor(alice);
    const second = await resetTokenFor(alice);
    const error = await refusal(
      auth.confirmPasswordReset({ resetToken: first, newPassword: strongPassword() }),
    );
    expect(reasonOf(error)).toBe("RESET_TOKEN_INVALID");
    await auth.confirmPasswordReset({ resetToken: second, newPassword: strongPassword() });
  });

  it("lifts a username's login wait from the address once the password is reset from there", async () => {
    const alice = await registerAndLogin(auth);
    for (let i = 0; i < 5; i++) {
      await refusal(auth.login({ username: alice.registration.username, password: "nope" }));
    }
    const waiting = await refusal(
      auth.login({ username: alice.registration.username, password: alice.registration.password }),
    );
    expect(reasonOf(waiting)).toBe("TOO_MANY_ATTEMPTS");
    const newPassword = strongPassword();
    await auth.confirmPasswordReset({ resetToken: await resetTokenFor(alice), newPassword });
    expect(
      (await auth.login({ username: alice.registration.username, password: newPassword })).tokens,
    ).toBeDefined();
  });
});
