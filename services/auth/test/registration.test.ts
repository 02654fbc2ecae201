// Register: a new user holds CUSTOMER, its password is stored only as an argon2id hash, and
// duplicates, weak passwords and malformed input are refused with the contract's codes and reasons.
import { Code } from "@connectrpc/connect";
import { BadRequestSchema } from "../../../gen/ts/google/rpc/error_details_pb.js";
import { Role } from "../../../gen/ts/fidalex/auth/v1/user_pb.js";
import { authClients, newRegistration, reasonOf, refusal, type AuthClients } from "./auth-client-kit.js";
import { useAuthTestServer, type AuthTestServer } from "./auth-test-server.js";

let server: AuthTestServer;
let auth: AuthClients["auth"];

useAuthTestServer((started) => {
  server = started.server;
  auth = authClients(server.transport).auth;
});

describe("Register", () => {
  it("creates an active CUSTOMER without a customer link", async () => {
    const registration = { ...newRegistration("reg"), phoneNumber: "+15551234567" };
    const { user } = await auth.register(registration);
    expect(user).toMatchObject({
      username: registration.username,
      email: registration.email,
      fullName: registration.fullName,
      phoneNumber: "+15551234567",
      isActive: true,
      roles: [Role.CUSTOMER],
      customerId: 0n,
    });
    expect(user!.userId).toBeGreaterThan(0n);
    expect(user!.createdAt).toBeDefined();
  });

  it("stores only an argon2id hash with the configured parameters", async () => {
    const registration = newRegistration("hash");
    const { user } = await auth.register(registration);
    const { rows } = await server.db.query<{ password_hash: string }>(
      "SELECT password_hash FROM users WHERE user_id = $1",
      [user!.userId.toString()],
    );
    expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(rows[0]!.password_hash).not.toContain(registration.password);
  });

  it("refuses a taken username, whatever its case, with REGISTRATION_CONFLICT", async () => {
    const first = newRegistration("dup");
    await auth.register(first);
    const again = { ...newRegistration("dup"), username: first.username.toUpperCase() };
    const error = await refusal(auth.register(again));
    expect(error.code).toBe(Code.AlreadyExists);
    expect(reasonOf(error)).toBe("REGISTRATION_CONFLICT");
  });

  it("refuses a taken email, whatever its case, with the very same answer as a taken username", async () => {
    const first = newRegistration("dupmail");
    await auth.register(first);
    const again = { ...newRegistration("dupmail"), email: first.email.toUpperCase() };
    const error = await refusal(auth.register(again));
    const username = await refusal(
      auth.register({ ...newRegistration("dupmail"), username: first.username }),
    );
    expect(error.code).toBe(Code.AlreadyExists);
    expect(reasonOf(error)).toBe("REGISTRATION_CONFLICT");
    expect([error.code, error.rawMessage]).toEqual([username.code, username.rawMessage]);
  });

  it.each([
    ["one character class only", () => "correcthorsebatterystaple"],
    ["two character classes", () => "correcthorse12345"],
    ["the username", (username: string) => `Xx1!${username}`],
    ["the email's local part", (_u: string, email: string) => `9!Q${email.split("@")[0]}`],
    ["the bank's name", () => "MyFidalex-Account-1"],
    ["a long run of one character", () => "Aaaaaa-Bank-12345"],
  ])("refuses a password with %s as WEAK_PASSWORD", async (_what, password) => {
    const registration = newRegistration("weak");
    registration.password = password(registration.username, registration.email);
    const error = await refusal(auth.register(registration));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(reasonOf(error)).toBe("WEAK_PASSWORD");
    expect(error.findDetails(BadRequestSchema)[0]?.fieldViolations[0]?.field).toBe("password");
    expect(error.rawMessage).not.toContain(registration.password);
  });

  it("refuses a malformed email and a short password by the contract's rules", async () => {
    const registration = { ...newRegistration("bad"), email: "not-an-email", password: "Sh0rt!" };
    const error = await refusal(auth.register(registration));
    expect(error.code).toBe(Code.InvalidArgument);
    const fields = error.findDetails(BadRequestSchema)[0]?.fieldViolations.map((v) => v.field);
    expect(fields).toEqual(expect.arrayContaining(["email", "password"]));
  });

  it("creates no user when it refuses one", async () => {
    const registration = newRegistration("nouser");
    registration.password = "alllowercaseletters";
    await refusal(auth.register(registration));
    const { rowCount } = await server.db.query("SELECT 1 FROM users WHERE username = $1", [
      registration.username,
    ]);
    expect(rowCount).toBe(0);
  });
});
