// The Insights service's configuration: environment variables only, checked once at start.
import { loadConfig, port, url, z } from "../runtime/config.js";

const flag = (fallback: "true" | "false") =>
  z
    .enum(["true", "false"])
    .default(fallback)
    .transform((value) => value === "true");

const brokerList = z
  .string()
  .min(1)
  .transform((value) => value.split(",").map((broker) => broker.trim()))
  .refine((brokers) => brokers.every((broker) => /^[^\s:]+:\d+$/.test(broker)), {
    message: "must be a comma-separated list of host:port",
  });

/** The variables the Insights service reads. */
export const insightsConfigShape = {
  PORT: port().default(18107),
  HOST: z.string().min(1).default("127.0.0.1"),
  /** The warehouse: the service's own PostgreSQL database. */
  DATABASE_URL: url("postgres:", "postgresql:"),
  /** The Auth service, whose key set verifies access tokens. */
  AUTH_URL: url("http:", "https:"),
  KAFKA_BROKERS: brokerList,
  /** Whether this process also runs the CDC loader (default true); false serves queries only. */
  LOADER_ENABLED: flag("true"),
  /** Seconds between scheduled refreshes of the daily summary (pg_cron, or a timer). */
  REFRESH_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** The least time between two refreshes the loader triggers after loading changes. */
  REFRESH_DEBOUNCE_MS: z.coerce.number().int().min(0).max(600_000).default(5_000),
  /**
   * How many attempts a transaction whose account has not been loaded yet gets; the last one loads
   * it to the Unassigned branch (0), and the account's arrival moves it to its branch.
   */
  MISSING_ACCOUNT_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
};

/** The Insights service's validated, frozen configuration. */
export type InsightsConfig = ReturnType<typeof loadInsightsConfig>;

/** Reads the configuration; throws ConfigError naming every missing or malformed variable. */
export function loadInsightsConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig("insights", insightsConfigShape, env);
}
