// Auth service throughput on this machine: logins per second with the configured argon2id
// parameters (ARGON2_MEMORY_KIB, ARGON2_TIME_COST, ARGON2_PARALLELISM from the environment, else
// the service's defaults), and access-token verifications per second as every service does them
// (jose, ES256, local key). Starts the service in-process against the stack's auth database and
// Redis. Figures only; nothing here gates CI.
//
//   npm run bench:auth                      (BENCH_LOGINS=400 BENCH_CONCURRENCY=2 BENCH_SECONDS=20)
import { randomBytes } from "node:crypto";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import pg from "pg";
import { AuthService } from "../gen/ts/fidalex/auth/v1/auth_service_pb.js";
import { verifyAccessToken } from "../services/runtime/auth.js";
import { createLogger } from "../services/runtime/logger.js";
import { generateSigningKey } from "../services/auth/keys/signing-key-set.js";
import { start } from "../services/auth/main.js";
import { ensureStackUp, stackVar } from "../test/support/stack.js";

const totalLogins = Number(process.env.BENCH_LOGINS ?? 400);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 2);
const loginSeconds = Number(process.env.BENCH_SECONDS ?? 20);
const verifySeconds = 3;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
const fixed = (n: number, digits = 1) => n.toFixed(digits);

async function main() {
  ensureStackUp();
  const databaseUrl = stackVar("AUTH_DATABASE_URL");
  const argon2Env = Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] => e[0].startsWith("ARGON2_") && e[1] !== undefined,
    ),
  );
  const service = await start({
    port: 0,
    env: {
      DATABASE_URL: databaseUrl,
      REDIS_URL: stackVar("REDIS_URL"),
      JWT_PRIVATE_KEYS: JSON.stringify([await generateSigningKey()]),
      ...argon2Env,
    },
    logger: createLogger("auth", process.env.LOG_LEVEL ?? "warn"),
  });
  const db = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  const suffix = randomBytes(5).toString("hex");
  const user = {
    username: `bench_${suffix}`,
    email: `bench.${suffix}@example.test`,
    password: `Bench-${randomBytes(9).toString("base64url")}-1`,
  };
  try {
    const { config } = service;
    console.log(
      `argon2id: m=${config.ARGON2_MEMORY_KIB} KiB, t=${config.ARGON2_TIME_COST}, p=${config.ARGON2_PARALLELISM}; ` +
        `${concurrency} concurrent clients, up to ${totalLogins} logins or ${loginSeconds} s`,
    );
    const auth = createClient(AuthService, createGrpcTransport({ baseUrl: service.url }));
    await auth.register(user);
    const credentials = { username: user.username, password: user.password };
    for (let i = 0; i < 4; i++) await auth.login(credentials); // warm-up: connections, JIT

    // Logins: each is one argon2id verification, a refresh-token insert and an ES256 signature.
    const latencies: number[] = [];
    let lastToken = "";
    const started = performance.now();
    const deadline = started + loginSeconds * 1000;
    let issued = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (issued < totalLogins && performance.now() < deadline) {
          issued++;
          const t0 = performance.now();
          const { tokens } = await auth.login(credentials);
          latencies.push(performance.now() - t0);
          lastToken = tokens!.accessToken;
        }
      }),
    );
    const loginElapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    console.log(
      `logins:        ${fixed(latencies.length / loginElapsed)} /s  (${latencies.length} in ${fixed(loginElapsed)} s; ` +
        `latency p50 ${fixed(percentile(latencies, 0.5))} ms, p95 ${fixed(percentile(latencies, 0.95))} ms)`,
    );

    // Verifications: what every service does per call (jose jwtVerify: ES256, iss, aud, exp).
    const keys = service.deps.keys.resolveKey;
    let verified = 0;
    const verifyStarted = performance.now();
    const verifyDeadline = verifyStarted + verifySeconds * 1000;
    while (performance.now() < verifyDeadline) {
      for (let i = 0; i < 100; i++) await verifyAccessToken(lastToken, keys);
      verified += 100;
    }
    const verifyElapsed = (performance.now() - verifyStarted) / 1000;
    console.log(
      `verifications: ${fixed(verified / verifyElapsed, 0)} /s  (${verified} in ${fixed(verifyElapsed)} s, one thread)`,
    );
  } finally {
    // The bench user and its refresh tokens (ON DELETE CASCADE) leave the shared database with it.
    await db.query("DELETE FROM users WHERE username = $1", [user.username]).catch(() => {});
    await db.end();
    await service.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
