// Abuse limits on the public routes (issue 14, finding 3): registration, password-reset requests
// and confirmations are limited per client address and per target (username or email, email,
// reset token) in Redis windows, answering RESOURCE_EXHAUSTED (RATE_LIMITED) with a RetryInfo.
// A server of its own with small budgets; every call comes from an address the test chose.
import { Code } from "@connectrpc/connect";
import {
  authClients,
  newRegistration,
  randomAddress,
  reasonOf,
  refusal,
  retryDelaySeconds,
} from "./auth-client-kit.js";
import { startAuthTestServer, type AuthTestServer } from "./auth-test-server.js";

let server: AuthTestServer;
const strongPassword = () => `N3w-${newRegistration().password}`;
const from = (address: string) => authClients(server.transportFrom(address)).auth;

beforeAll(async () => {
  server = await startAuthTestServer({
    env: {
      REGISTRATIONS_PER_ADDRESS_PER_HOUR: "3",
      PASSWORD_RESETS_PER_ADDRESS_PER_HOUR: "3",
      ATTEMPTS_PER_TARGET_PER_HOUR: "2",
    },
  });
});

afterAll(() => server?.close());

async function expectRateLimited(call: Promise<unknown>) {
  const error = await refusal(call);
  expect([error.code, reasonOf(error)]).toEqual([Code.ResourceExhausted, "RATE_LIMITED"]);
  expect(retryDelaySeconds(error)).toBeGreaterThan(0);
  expect(retryDelaySeconds(error)).toBeLessThanOrEqual(3_600);
}

describe("Register", () => {
  it("allows a client address 3 registrations an hour, then RATE_LIMITED; other addresses still register", async () => {
    const address = randomAddress();
    for (let i = 0; i < 3; i++) await from(address).register(newRegistration("burst"));
    await expectRateLimited(from(address).register(newRegistration("burst")));
    expect((await from(randomAddress()).register(newRegistration("burst"))).user).toBeDefined();
  });

  it("allows 2 attempts an hour on one email, from any address", async () => {
    const first = newRegistration("target");
    await from(randomAddress()).register(first);
    const again = await refusal(
      from(randomAddress()).register({ ...newRegistration("target"), email: first.email }),
    );
    expect(reasonOf(again)).toBe("REGISTRATION_CONFLICT");
    await expectRateLimited(
      from(randomAddress()).register({ ...newRegistration("target"), email: first.email }),
    );
  });
});

describe("RequestPasswordReset", () => {
  it("allows a client address 3 requests an hour, and one email 2, whoever asks", async () => {
    const address = randomAddress();
    for (let i = 0; i < 3; i++) await from(address).requestPasswordReset({ email: newRegistration().email });
    await expectRateLimited(from(address).requestPasswordReset({ email: newRegistration().email }));

    const victim = newRegistration("mailbomb");
    await from(randomAddress()).register(victim);
    const delivered = server.resetNotices.length;
    for (let i = 0; i < 2; i++) await from(randomAddress()).requestPasswordReset({ email: victim.email });
    await expectRateLimited(from(randomAddress()).requestPasswordReset({ email: victim.email }));
    // The victim's mailbox got 2 messages, not more.
    expect(server.resetNotices.length - delivered).toBe(2);
  });
});

describe("ConfirmPasswordReset", () => {
  it("allows a client address 3 attempts an hour, and one token 2, whoever tries", async () => {
    const address = randomAddress();
    for (let i = 0; i < 3; i++) {
      const error = await refusal(
        from(address).confirmPasswordReset({
          resetToken: `guess-${i}-${randomAddress()}`,
          newPassword: strongPassword(),
        }),
      );
      expect(reasonOf(error)).toBe("RESET_TOKEN_INVALID");
    }
    await expectRateLimited(
      from(address).confirmPasswordReset({ resetToken: "guess-again", newPassword: strongPassword() }),
    );

    const token = `one-token-${randomAddress()}`;
    for (let i = 0; i < 2; i++) {
      await refusal(
        from(randomAddress()).confirmPasswordReset({ resetToken: token, newPassword: strongPassword() }),
      );
    }
    await expectRateLimited(
      from(randomAddress()).confirmPasswordReset({ resetToken: token, newPassword: strongPassword() }),
    );
  });
});
