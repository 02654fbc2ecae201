// Test helper for the local infrastructure (stack/): makes sure the stack is up, starting it with
// `bash stack/stack.sh up` when one of its ports is closed (bounded: a cold machine installs
// everything first), and returns the environment that stack/env.sh defines.
import { execFileSync, spawn } from "node:child_process";
import net from "node:net";
import { fileURLToPath } from "node:url";

export const repoDir = fileURLToPath(new URL("../..", import.meta.url));

/** How long `stack.sh up` may take on a cold machine (downloads, builds) before a test gives up. */
export const STACK_UP_TIMEOUT_MS = 15 * 60_000;

export type StackEnv = Record<string, string>;

/** The environment of stack/env.sh, as `stack.sh env` prints it (KEY=value lines). */
export function readStackEnv(): StackEnv {
  const out = execFileSync("bash", ["stack/stack.sh", "env"], { cwd: repoDir, encoding: "utf8" });
  const env: StackEnv = {};
  for (const line of out.split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}

/** A value of the stack's environment; a missing one is a test failure with its name. */
export function need(env: StackEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`stack/env.sh does not define ${name}`);
  return value;
}

/** True when a TCP connection to host:port succeeds within the timeout. */
export function portOpen(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

const PORT_VARS = [
  "FIDALEX_PG_PORT",
  "FIDALEX_REDIS_PORT",
  "FIDALEX_KAFKA_PORT",
  "FIDALEX_CONNECT_PORT",
  "FIDALEX_FERRETDB_PORT",
  "FIDALEX_ENVOY_PORT",
  "FIDALEX_ENVOY_ADMIN_PORT",
];

function runStackUp(): Promise<void> {
  return new Promise((resolve, reject) => {
    // Progress lines go straight to the terminal: a cold start takes minutes.
    const child = spawn("bash", ["stack/stack.sh", "up"], {
      cwd: repoDir,
      stdio: ["ignore", "inherit", "inherit"],
    });
    const timer = setTimeout(() => {
      child.kill("SIGTERM");
      reject(new Error(`bash stack/stack.sh up did not finish within ${STACK_UP_TIMEOUT_MS / 60_000} min`));
    }, STACK_UP_TIMEOUT_MS);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`bash stack/stack.sh up failed (${signal ?? `exit ${code}`}); see .stack/logs/`));
    });
  });
}

let ready: Promise<StackEnv> | undefined;

/** Starts the stack if any of its ports is closed; resolves to its environment. Once per test file. */
export function ensureStack(): Promise<StackEnv> {
  ready ??= (async () => {
    const env = readStackEnv();
    const host = env.FIDALEX_HOST ?? "127.0.0.1";
    const open = await Promise.all(PORT_VARS.map((v) => portOpen(host, Number(need(env, v)))));
    if (open.includes(false)) await runStackUp();
    return env;
  })();
  return ready;
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : "";
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
