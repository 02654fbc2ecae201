// Structured logs (pino) that never carry secrets: passwords, tokens and authorization headers are
// redacted wherever they appear in a logged object.
import { pino, type Logger } from "pino";

export type { Logger } from "pino";

/** Field paths redacted from every log line. */
const redactPaths = [
  "password",
  "newPassword",
  "*.password",
  "*.newPassword",
  "refreshToken",
  "*.refreshToken",
  "accessToken",
  "*.accessToken",
  "resetToken",
  "*.resetToken",
  "clientSecret",
  "*.clientSecret",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
];

/** Creates the logger of a service; LOG_LEVEL sets the level (default info, `silent` in tests). */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? "info"): Logger {
  return pino({ name: service, level, redact: { paths: redactPaths, censor: "[redacted]" } });
}
