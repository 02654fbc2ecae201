// Test access to the local stack: starts it when it is not up (bounded in time) and reads its
// ports and URLs from stack/env.sh, the one place they are defined.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const repoDir = fileURLToPath(new URL("../../", import.meta.url));
let env: Record<string, string> | undefined;
let up = false;

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
 * Brings the infrastructure up (a no-op when it already runs). A cold start on a fresh machine
 * installs packages and downloads jars, so it may take several minutes; it is bounded at 20.
 */
export function ensureStackUp(): void {
  if (up) return;
  execFileSync("bash", ["stack/stack.sh", "up"], {
    cwd: repoDir,
    stdio: ["ignore", "inherit", "inherit"],
    timeout: 20 * 60_000,
  });
  up = true;
}
