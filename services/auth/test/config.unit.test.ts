// The Auth service's configuration: defaults, and a clear ConfigError naming each bad variable
// without echoing secrets.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../runtime/config.js";
import { loadAuthConfig } from "../config.js";
import { generateSigningKey } from "../keys/signing-key-set.js";

const base = {
  DATABASE_URL: "postgres://auth_svc:pw@127.0.0.1:15432/auth",
  REDIS_URL: "redis://127.0.0.1:16379",
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadAuthConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("the configuration was accepted");
}

describe("loadAuthConfig", () => {
  it("applies the documented defaults and freezes the result", () => {
    const config = loadAuthConfig(base);
    expect(config).toMatchObject({
      PORT: 18101,
      HOST: "127.0.0.1",
      ACCESS_TOKEN_TTL_SECONDS: 300,
      SERVICE_TOKEN_TTL_SECONDS: 300,
      PASSWORD_RESET_TTL_SECONDS: 1800,
      ARGON2_MEMORY_KIB: 19456,
      ARGON2_TIME_COST: 2,
      ARGON2_PARALLELISM: 1,
      LOGIN_FREE_FAILURES: 3,
      LOGIN_MAX_DELAY_SECONDS: 900,
      LOGIN_MAX_FAILURES_PER_ADDRESS: 20,
      REGISTRATIONS_PER_ADDRESS_PER_HOUR: 20,
      PASSWORD_RESETS_PER_ADDRESS_PER_HOUR: 20,
      ATTEMPTS_PER_TARGET_PER_HOUR: 5,
      signingKeys: undefined,
      bootstrapAdmin: undefined,
    });
    expect(config.SERVICE_CLIENT_SECRETS.size).toBe(0);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("names missing and malformed store URLs", () => {
    const problems = problemsOf({ REDIS_URL: "http://nope" });
    expect(problems.join("\n")).toMatch(/DATABASE_URL/);
    expect(problems.join("\n")).toMatch(/REDIS_URL/);
  });

  it("reads signing keys from JWT_PRIVATE_KEYS or JWT_KEYS_FILE, as an array or a JWK Set", async () => {
    const key = await generateSigningKey();
    expect(loadAuthConfig({ ...base, JWT_PRIVATE_KEYS: JSON.stringify([key]) }).signingKeys).toEqual([key]);
    const file = join(mkdtempSync(join(tmpdir(), "auth-keys-")), "keys.json");
    writeFileSync(file, JSON.stringify({ keys: [key] }));
    const config = loadAuthConfig({ ...base, JWT_KEYS_FILE: file });
    expect(config.signingKeys).toEqual([key]);
    expect(config.signingKeysSource).toBe("JWT_KEYS_FILE");
  });

  it("refuses bad signing keys without echoing them", async () => {
    const key = await generateSigningKey();
    const publicOnly = { ...key, d: undefined };
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ JWT_PRIVATE_KEYS: `[${JSON.stringify(key)}` }, /JWT_PRIVATE_KEYS: is not valid JSON/],
      [{ JWT_PRIVATE_KEYS: JSON.stringify([publicOnly]) }, /JWT_PRIVATE_KEYS: key 1 .* private part/],
      [
        { JWT_PRIVATE_KEYS: JSON.stringify([{ ...key, crv: "P-384" }]) },
        /JWT_PRIVATE_KEYS: key 1 must be an EC P-256/,
      ],
      [{ JWT_PRIVATE_KEYS: JSON.stringify([key]), JWT_KEYS_FILE: "/tmp/x" }, /set one of them, not both/],
      [{ JWT_KEYS_FILE: "/nonexistent/keys.json" }, /JWT_KEYS_FILE: cannot read the file \(ENOENT\)/],
      [{ NODE_ENV: "production" }, /JWT_PRIVATE_KEYS: required in production/],
      [{ NODE_ENV: "production" }, /EDGE_SECRET: required in production/],
    ];
    for (const [env, expected] of cases) {
      const problems = problemsOf({ ...base, ...env }).join("\n");
      expect(problems).toMatch(expected);
      expect(problems).not.toContain(key.d);
    }
  });

  it("parses SERVICE_CLIENT_SECRETS into digests and refuses malformed entries", () => {
    const config = loadAuthConfig({
      ...base,
      SERVICE_CLIENT_SECRETS: "transaction=0123456789abcdef0123, account=fedcba9876543210fedc",
    });
    expect([...config.SERVICE_CLIENT_SECRETS.keys()]).toEqual(["transaction", "account"]);
    expect(config.SERVICE_CLIENT_SECRETS.get("transaction")).toHaveLength(32);
    const problems = problemsOf({ ...base, SERVICE_CLIENT_SECRETS: "transaction=short" }).join("\n");
    expect(problems).toMatch(
      /SERVICE_CLIENT_SECRETS: the secret of transaction must be 16 to 256 characters/,
    );
    expect(problems).not.toContain("short");
    expect(problemsOf({ ...base, SERVICE_CLIENT_SECRETS: "no-equals-sign" }).join()).toMatch(
      /<client_id>=<secret>/,
    );
  });

  it("wants all three bootstrap admin variables, and a password the policy accepts", () => {
    expect(problemsOf({ ...base, BOOTSTRAP_ADMIN_USERNAME: "root" }).join()).toMatch(/set all three or none/);
    const weak = problemsOf({
      ...base,
      BOOTSTRAP_ADMIN_USERNAME: "root",
      BOOTSTRAP_ADMIN_EMAIL: "root@example.test",
      BOOTSTRAP_ADMIN_PASSWORD: "rootrootroot",
    }).join();
    expect(weak).toMatch(/BOOTSTRAP_ADMIN_PASSWORD: .*must not contain the username/);
    expect(weak).not.toContain("rootrootroot");
    const config = loadAuthConfig({
      ...base,
      BOOTSTRAP_ADMIN_USERNAME: "root",
      BOOTSTRAP_ADMIN_EMAIL: "root@example.test",
      BOOTSTRAP_ADMIN_PASSWORD: "Tr0ub4dor&3-horse",
    });
    expect(config.bootstrapAdmin).toEqual({
      username: "root",
      email: "root@example.test",
      password: "Tr0ub4dor&3-horse",
    });
  });
});
