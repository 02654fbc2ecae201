// The Auth service's configuration, from the environment only, validated once at start and frozen.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { JWK } from "jose";
import { ConfigError, loadConfig, port, url, z } from "../runtime/config.js";
import { passwordProblems } from "./passwords/password-policy.js";
import { parseSigningKeys } from "./keys/signing-key-set.js";

const service = "auth";

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const optionalText = () =>
  z
    .string()
    .optional()
    .transform((value) => (value?.trim() ? value.trim() : undefined));

/** Signing keys given inline (JWT_PRIVATE_KEYS); errors name the key's position, not its material. */
const signingKeys = () =>
  optionalText().transform((text, ctx): JWK[] | undefined => {
    if (text === undefined) return undefined;
    try {
      return parseSigningKeys(text);
    } catch (error) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
      return z.NEVER;
    }
  });

/**
 * Service client credentials, "transaction=<secret>,account=<secret>", kept only as SHA-256
 * digests (what IssueServiceToken compares against).
 */
const serviceClientSecrets = () =>
  optionalText().transform((text, ctx): ReadonlyMap<string, Buffer> => {
    const clients = new Map<string, Buffer>();
    for (const entry of (text ?? "").split(",").filter((e) => e.trim())) {
      const i = entry.indexOf("=");
      const clientId = entry.slice(0, Math.max(i, 0)).trim();
      const secret = entry.slice(i + 1).trim();
      if (i < 0 || !/^[a-z][a-z0-9-]{1,49}$/.test(clientId)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: "entries must be <client_id>=<secret>" });
        return z.NEVER;
      }
      if (secret.length < 16 || secret.length > 256) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `the secret of ${clientId} must be 16 to 256 characters`,
        });
        return z.NEVER;
      }
      clients.set(clientId, createHash("sha256").update(secret, "utf8").digest());
    }
    return clients;
  });

const shape = {
  PORT: port().default(18101),
  HOST: z.string().min(1).default("127.0.0.1"),
  NODE_ENV: z.string().default("development"),
  DATABASE_URL: url("postgres:", "postgresql:"),
  REDIS_URL: url("redis:", "rediss:"),
  /** A JSON array (or JWK Set) of ES256 private JWKs, current first. */
  JWT_PRIVATE_KEYS: signingKeys(),
  /** A file holding the same JSON as JWT_PRIVATE_KEYS. */
  JWT_KEYS_FILE: optionalText(),
  ACCESS_TOKEN_TTL_SECONDS: positiveInt(5 * 60),
  REFRESH_TOKEN_TTL_SECONDS: positiveInt(7 * 24 * 3600),
  SERVICE_TOKEN_TTL_SECONDS: positiveInt(5 * 60),
  PASSWORD_RESET_TTL_SECONDS: positiveInt(30 * 60),
  ARGON2_MEMORY_KIB: z.coerce
    .number()
    .int()
    .min(1024)
    .max(4 * 1024 * 1024)
    .default(19 * 1024),
  ARGON2_TIME_COST: z.coerce.number().int().min(1).max(20).default(2),
  ARGON2_PARALLELISM: z.coerce.number().int().min(1).max(16).default(1),
  /** Failed logins per username and address before each further one doubles the wait. */
  LOGIN_FREE_FAILURES: positiveInt(3),
  /** The longest wait between two logins for a username from one address. */
  LOGIN_MAX_DELAY_SECONDS: positiveInt(15 * 60),
  LOGIN_MAX_FAILURES_PER_ADDRESS: positiveInt(20),
  LOGIN_FAILURE_WINDOW_SECONDS: positiveInt(15 * 60),
  /** Registrations one client address may make per hour. */
  REGISTRATIONS_PER_ADDRESS_PER_HOUR: positiveInt(20),
  /** Password-reset requests, and confirmations, one client address may make per hour (each). */
  PASSWORD_RESETS_PER_ADDRESS_PER_HOUR: positiveInt(20),
  /**
   * Attempts per hour on one target: registrations of one username or email, reset requests for
   * one email, confirmations with one reset token.
   */
  ATTEMPTS_PER_TARGET_PER_HOUR: positiveInt(5),
  /**
   * The secret Envoy sends in x-fidalex-edge on every call it forwards: only calls carrying it have
   * their forwarded client address (x-envoy-external-address, x-forwarded-for) believed.
   */
  EDGE_SECRET: z.string().min(16).max(256).optional(),
  SERVICE_CLIENT_SECRETS: serviceClientSecrets(),
  BOOTSTRAP_ADMIN_USERNAME: optionalText(),
  BOOTSTRAP_ADMIN_EMAIL: optionalText(),
  BOOTSTRAP_ADMIN_PASSWORD: z.string().optional(),
};

type RawAuthConfig = Readonly<ReturnType<typeof loadRaw>>;
const loadRaw = (env: NodeJS.ProcessEnv) => loadConfig(service, shape, env);

/** The bootstrap administrator: created at start when no user of that name exists. */
export interface BootstrapAdmin {
  readonly username: string;
  readonly email: string;
  readonly password: string;
}

/** The Auth service's validated, frozen configuration. */
export type AuthConfig = Omit<
  RawAuthConfig,
  | "JWT_PRIVATE_KEYS"
  | "JWT_KEYS_FILE"
  | "BOOTSTRAP_ADMIN_USERNAME"
  | "BOOTSTRAP_ADMIN_EMAIL"
  | "BOOTSTRAP_ADMIN_PASSWORD"
> & {
  /** The signing keys from JWT_PRIVATE_KEYS or JWT_KEYS_FILE; undefined means "generate one" (dev only). */
  readonly signingKeys: readonly JWK[] | undefined;
  /** The variable the signing keys came from, for error messages. */
  readonly signingKeysSource: "JWT_PRIVATE_KEYS" | "JWT_KEYS_FILE" | undefined;
  readonly bootstrapAdmin: BootstrapAdmin | undefined;
};

/**
 * Reads the configuration. Throws ConfigError naming every bad variable: the per-variable checks,
 * plus signing keys set twice or missing in production, an incomplete bootstrap admin, and a
 * bootstrap password the policy refuses.
 */
export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const raw = loadRaw(env);
  const problems: string[] = [];

  let signingKeys = raw.JWT_PRIVATE_KEYS;
  if (raw.JWT_PRIVATE_KEYS && raw.JWT_KEYS_FILE) {
    problems.push("JWT_PRIVATE_KEYS, JWT_KEYS_FILE: set one of them, not both");
  } else if (raw.JWT_KEYS_FILE) {
    try {
      signingKeys = parseSigningKeys(readFileSync(raw.JWT_KEYS_FILE, "utf8"));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      problems.push(`JWT_KEYS_FILE: ${code ? `cannot read the file (${code})` : (error as Error).message}`);
    }
  } else if (!signingKeys && raw.NODE_ENV === "production") {
    problems.push("JWT_PRIVATE_KEYS: required in production (or JWT_KEYS_FILE)");
  }

  // Without the edge's proof no forwarded address is believed, and every client behind Envoy would
  // share Envoy's address, and its per-address limits.
  if (!raw.EDGE_SECRET && raw.NODE_ENV === "production") {
    problems.push("EDGE_SECRET: required in production (the secret Envoy sends in x-fidalex-edge)");
  }

  let bootstrapAdmin: BootstrapAdmin | undefined;
  const { BOOTSTRAP_ADMIN_USERNAME: username, BOOTSTRAP_ADMIN_EMAIL: email } = raw;
  const password = raw.BOOTSTRAP_ADMIN_PASSWORD;
  const given = [username, email, password].filter((v) => v !== undefined && v !== "").length;
  if (given === 3) {
    bootstrapAdmin = Object.freeze({ username: username!, email: email!, password: password! });
    if (!/^[A-Za-z0-9._-]{3,50}$/.test(username!)) {
      problems.push("BOOTSTRAP_ADMIN_USERNAME: must be 3 to 50 letters, digits, dots, dashes or underscores");
    }
    if (!z.string().email().max(100).safeParse(email).success) {
      problems.push("BOOTSTRAP_ADMIN_EMAIL: must be an email address of at most 100 characters");
    }
    const weak = passwordProblems(password!, bootstrapAdmin);
    if (weak.length > 0) problems.push(`BOOTSTRAP_ADMIN_PASSWORD: ${weak.join("; ")}`);
  } else if (given > 0) {
    problems.push(
      "BOOTSTRAP_ADMIN_USERNAME, BOOTSTRAP_ADMIN_EMAIL, BOOTSTRAP_ADMIN_PASSWORD: set all three or none",
    );
  }

  if (problems.length > 0) throw new ConfigError(service, problems);
  /* eslint-disable @typescript-eslint/no-unused-vars -- these are replaced by the checked fields below */
  const {
    JWT_PRIVATE_KEYS: _keys,
    JWT_KEYS_FILE: _file,
    BOOTSTRAP_ADMIN_USERNAME: _u,
    BOOTSTRAP_ADMIN_EMAIL: _e,
    BOOTSTRAP_ADMIN_PASSWORD: _p,
    ...rest
  } = raw;
  /* eslint-enable @typescript-eslint/no-unused-vars */
  return Object.freeze({
    ...rest,
    signingKeys: signingKeys && Object.freeze(signingKeys),
    signingKeysSource: raw.JWT_KEYS_FILE
      ? "JWT_KEYS_FILE"
      : raw.JWT_PRIVATE_KEYS
        ? "JWT_PRIVATE_KEYS"
        : undefined,
    bootstrapAdmin,
  });
}
