// Configuration comes only from environment variables, is validated once at start and frozen.
import { z } from "zod";

export { z };

/** A configuration problem: names every bad or missing variable, never a value. */
export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: string[],
  ) {
    super(`${service}: invalid configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

/** A TCP port number from the environment. */
export const port = () => z.coerce.number().int().min(0).max(65535);

/** A connection URL with one of the given schemes (e.g. postgres:, redis:). */
export const url = (...schemes: string[]) =>
  z
    .string()
    .url()
    // zod runs the refinement even when .url() already failed; new URL() would then throw
    // "Invalid URL" instead of the ConfigError that names the variable.
    .refine((value) => URL.canParse(value) && schemes.includes(new URL(value).protocol), {
      message: `must be a URL with scheme ${schemes.join(" or ")}`,
    });

/** A comma-separated list of Kafka brokers ("host:port,host:port"), read as an array. */
/** A non-negative amount of money with at most two fraction digits, e.g. "5000.00". */
export const amount = () =>
  z.string().regex(/^(0|[1-9][0-9]{0,15})([.][0-9]{1,2})?$/, "must be an amount such as 5000.00");

export const brokerList = () =>
  z
    .string()
    .min(1)
    .transform((value) => value.split(",").map((broker) => broker.trim()))
    .refine((brokers) => brokers.every((broker) => /^[^\s:]+:\d+$/.test(broker)), {
      message: "must be a comma-separated list of host:port",
    });

/**
 * Reads and validates a service's configuration from the environment. Throws ConfigError naming
 * each variable that is missing or malformed; the result is frozen.
 */
export function loadConfig<Shape extends z.ZodRawShape>(
  service: string,
  shape: Shape,
  env: NodeJS.ProcessEnv = process.env,
): Readonly<z.infer<z.ZodObject<Shape>>> {
  const result = z.object(shape).safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      service,
      result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`),
    );
  }
  return Object.freeze(result.data);
}
