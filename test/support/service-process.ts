// A service of the stack run as its own process, as the stack runs it, for fault tests that kill
// it and for benchmarks: `node --import tsx services/<name>/main.ts` with the environment of its
// template in stack/services/<name>.env (rendered from the stack's variables), on its own port,
// trusting the stack's Auth service.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Health } from "../../gen/ts/grpc/health/v1/health_pb.js";
import { eventually } from "./eventually.js";
import { repoDir, stackVar } from "./stack.js";

/** A port nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once("error", reject);
  });
}

/** The service's environment in the stack: its template with each ${NAME} from stack/env.sh. */
export function stackServiceEnv(name: string): Record<string, string> {
  const template = readFileSync(`${repoDir}/stack/services/${name}.env`, "utf8");
  return Object.fromEntries(
    template
      .split("\n")
      .filter((line) => /^[A-Z_][A-Z0-9_]*=/.test(line))
      .map((line) => {
        const i = line.indexOf("=");
        return [
          line.slice(0, i),
          line.slice(i + 1).replace(/\$\{([A-Z_][A-Z0-9_]*)\}/g, (_, v: string) => stackVar(v)),
        ];
      }),
  );
}

/** Starts the service as a process on the port and resolves once it answers health checks. */
export async function startServiceProcess(
  name: string,
  options: { port: number; env?: Record<string, string> },
): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", `services/${name}/main.ts`], {
    cwd: repoDir,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      PATH: process.env.PATH,
      ...stackServiceEnv(name),
      PORT: String(options.port),
      HOST: "127.0.0.1",
      AUTH_URL: stackVar("AUTH_URL"),
      LOG_LEVEL: "warn",
      ...options.env,
    },
  });
  const health = createClient(Health, createGrpcTransport({ baseUrl: `http://127.0.0.1:${options.port}` }));
  try {
    await eventually(`the ${name} process serving`, () => health.check({}).then(() => true), {
      timeoutMs: 60_000,
      intervalMs: 250,
    });
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return child;
}
