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
  /** Redis, where the Auth service publishes revoked token versions; without it they are not checked. */
  REDIS_URL: url("redis:", "rediss:").optional(),
  KAFKA_BROKERS: brokerList,
  /** Whether this process also runs the CDC loader (default true); false serves queries only. */
  LOADER_ENABLED: flag("true"),
  /** Seconds between two refreshes of the daily summary (each recomputes only the days changed). */
  REFRESH_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3_600).default(5),
  /**
   * The most the warehouse may lag its sources, in seconds: beyond it answers say stale and the
   * InsightsService health check answers NOT_SERVING.
   */
  MAX_LAG_SECONDS: z.coerce.number().int().min(5).max(86_400).default(60),
  /** Consecutive failed refreshes of the daily summary after which the health check says NOT_SERVING. */
  REFRESH_FAILURES_UNHEALTHY: z.coerce.number().int().min(1).max(100).default(3),
  /** How often the service re-assesses its freshness and health, in milliseconds. */
  HEALTH_CHECK_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /** How often each loader lane records how fresh its partitions are, in milliseconds. */
  LOADER_CHECK_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(2_000),
};

/** The Insights service's validated, frozen configuration. */
export type InsightsConfig = ReturnType<typeof loadInsightsConfig>;

/** Reads the configuration; throws ConfigError naming every missing or malformed variable. */
export function loadInsightsConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig("insights", insightsConfigShape, env);
}
