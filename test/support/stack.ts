// The local stack as tests and benchmarks see it: its variables (ports, database URLs, brokers)
// read from stack/env.sh, the one place they are defined, and a way to bring it up outside Jest
// (Jest's global setup brings it up once for the integration and end-to-end projects).
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The repository's root folder. */
export const repoDir = fileURLToPath(new URL("../../", import.meta.url));

/** How long `stack.sh up` may take on a cold machine (packages, jars, builds). */
export const stackUpTimeoutMs = 20 * 60_000;

let env: Record<string, string> | undefined;

/** The stack's variables (ports, database URLs, broker list, …) as stack/env.sh defines them. */
export function stackEnv(): Record<string, string> {
  if (!env) {
    const out = execFileSync("bash", ["-c", "source stack/env.sh && env -0"], { cwd: repoDir });
    env = Object.fromEntries(
      out
        .toString("utf8")
        .split("\0")
        .filter(Boolean)
        .map((line) => {
          const i = line.indexOf("=");
          return [line.slice(0, i), line.slice(i + 1)];
        }),
    );
  }
  return env;
}

/** One variable of the stack; throws when stack/env.sh does not define it. */
export function stackVar(name: string): string {
  const value = stackEnv()[name];
  if (value === undefined) throw new Error(`stack/env.sh defines no ${name}`);
  return value;
}

/**
 * Brings the mesh up (a no-op of a second or two when it runs), printing its progress. For
 * benchmarks and scripts; Jest's global setup does this once before the tests that need it.
 */
export function ensureStackUp(): void {
  execFileSync("bash", ["stack/stack.sh", "up"], {
    cwd: repoDir,
    stdio: ["ignore", "inherit", "inherit"],
    timeout: stackUpTimeoutMs,
  });
}
