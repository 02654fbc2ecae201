// Transfers and balance reads through the mesh, against the database's own ceiling measured in
// the same run on the same PostgreSQL (bench/README.md says how to read the figures):
//   1. the raw-SQL ceiling of a transfer (pgbench, ceiling-transfer.pgbench) at 32 and 8 clients;
//   2. TransactionService/Transfer through Envoy over gRPC (ghz) and REST/JSON (wrk), 32 in flight,
//      random pairs over 100 funded accounts, unique idempotency keys; then all from one hot account;
//   3. GetAccountBalance through Envoy REST, over gRPC through Envoy and straight to the Account
//      service, against pgbench's point select on the account database (simple and prepared);
//   4. the uniform gRPC run again after 100,000 more transfers (is the rate flat as data grows?);
//   5. CDC lag at half the achieved rate for 60 s: from a transfer's commit to its SUCCESS row in
//      the warehouse's fact_transactions;
// with the CPU milliseconds per transfer of every process of the stack, and the ratios.
//
//   npm run bench:throughput     BENCH_SECONDS (20 per phase), BENCH_IN_FLIGHT (32), BENCH_ACCOUNTS
//                                (100), BENCH_GROWTH (100000), BENCH_LAG_SECONDS (60), BENCH_PHASES
//                                (all, or a comma list of: ceiling,grpc,rest,hot,reads,growth,lag),
//                                BENCH_PROFILE (services to run under node --cpu-prof during the
//                                uniform gRPC run, e.g. transaction,account; summaries printed)
//
// The stack must be up (`npm start`); the load tools install on first use (tools.sh).
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { z } from "zod";
import { AccountType } from "../../gen/ts/fidalex/account/v1/account_pb.js";
import { AccountService } from "../../gen/ts/fidalex/account/v1/account_service_pb.js";
import { KycStatus } from "../../gen/ts/fidalex/account/v1/customer_pb.js";
import { CustomerService } from "../../gen/ts/fidalex/account/v1/customer_service_pb.js";
import { AuthService } from "../../gen/ts/fidalex/auth/v1/auth_service_pb.js";
import { TransactionService } from "../../gen/ts/fidalex/transaction/v1/transaction_service_pb.js";
import { createDatabasePool, sql, type DatabasePool } from "../../services/runtime/database.js";
import { createFourEyesDeposit } from "../../test/support/four-eyes.js";
import { callerTransport } from "../../test/support/service-harness.js";
import { ensureStackUp, repoDir, stackVar } from "../../test/support/stack.js";
import { profileService } from "./cpu-profile.js";
import {
  cpuPerOperation,
  idleCpu,
  sampleEndedChildrenCpu,
  sampleStackCpu,
  type CpuSample,
} from "./process-cpu.js";

const run = Date.now().toString(36);
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const inFlight = Number(process.env.BENCH_IN_FLIGHT ?? 32);
const accountCount = Number(process.env.BENCH_ACCOUNTS ?? 100);
const growthTransfers = Number(process.env.BENCH_GROWTH ?? 100_000);
/** Transfers per growth chunk: a few minutes at most, well inside an access token's life. */
const GROWTH_CHUNK = 5_000;
const lagSeconds = Number(process.env.BENCH_LAG_SECONDS ?? 60);
const selected = new Set((process.env.BENCH_PHASES ?? "all").split(","));
const profiled = (process.env.BENCH_PROFILE ?? "").split(",").filter(Boolean);
const wants = (phase: string) => selected.has("all") || selected.has(phase);

const benchDir = join(repoDir, "bench/throughput");
const scratch = mkdtempSync(join(tmpdir(), "fidalex-bench-"));
const exec = promisify(execFile);
const edge = `127.0.0.1:${stackVar("FIDALEX_ENVOY_PORT")}`;
const accountDirect = `127.0.0.1:${stackVar("FIDALEX_ACCOUNT_PORT")}`;
const stackDir = stackVar("FIDALEX_STACK_DIR");
const redisPort = stackVar("FIDALEX_REDIS_PORT");
/** What each component of the stack spends per second when idle, measured before the phases. */
let idle: CpuSample = new Map();

/** What one load run achieved. */
interface LoadResult {
  /** Successful calls per second. */
  rate: number;
  ok: number;
  failed: number;
  p50: number;
  p99: number;
}

function say(line: string) {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
}

function describe(name: string, r: LoadResult) {
  console.log(
    `  ${name.padEnd(44)} ${r.rate.toFixed(1).padStart(8)} /s   p50 ${r.p50.toFixed(0).padStart(5)} ms   ` +
      `p99 ${r.p99.toFixed(0).padStart(5)} ms   (${r.ok} ok, ${r.failed} failed)`,
  );
}

async function tools(): Promise<Record<"GHZ" | "WRK" | "PGBENCH", string>> {
  const { stdout } = await exec("bash", [join(benchDir, "tools.sh")], { cwd: repoDir });
  return Object.fromEntries(
    stdout
      .trim()
      .split("\n")
      .map((l) => l.split("=") as [string, string]),
  ) as Record<"GHZ" | "WRK" | "PGBENCH", string>;
}

const ghzReport = z.object({
  total: z.number(),
  latencyDistribution: z.array(z.object({ percentage: z.number(), latency: z.number() })).nullable(),
  statusCodeDistribution: z.record(z.string(), z.number()).nullable(),
  errorDistribution: z.record(z.string(), z.number()).nullable().optional(),
});

/** ghz ends a timed run by closing its connection: the calls then in flight are not failures. */
const cutOffAtTheEnd = /use of closed network connection|transport is closing/;

/** Runs ghz: `data` round-robin (one message per call), for `duration` s or `total` calls. */
async function ghz(
  bin: string,
  call: string,
  host: string,
  token: string,
  data: object[],
  load: { duration?: number; total?: number; rps?: number },
): Promise<LoadResult> {
  const file = join(scratch, `ghz-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(data));
  const args = [
    "--insecure",
    "--protoset",
    join(repoDir, "build/fidalex.binpb"),
    "--call",
    call,
    "--metadata",
    JSON.stringify({ authorization: `Bearer ${token}` }),
    "--data-file",
    file,
    "--concurrency",
    String(inFlight),
    "--format",
    "json",
    "--timeout",
    "30s",
    ...(load.total ? ["--total", String(load.total)] : ["--duration", `${load.duration}s`, "--total", "0"]),
    ...(load.rps ? ["--rps", String(load.rps)] : []),
    host,
  ];
  const { stdout } = await exec(bin, args, { maxBuffer: 64 << 20 });
  const report = ghzReport.parse(JSON.parse(stdout));
  const codes = report.statusCodeDistribution ?? {};
  const ok = codes.OK ?? 0;
  const cutOff = Object.entries(report.errorDistribution ?? {})
    .filter(([message]) => cutOffAtTheEnd.test(message))
    .reduce((n, [, count]) => n + count, 0);
  const failed =
    Object.entries(codes).reduce((n, [code, count]) => n + (code === "OK" ? 0 : count), 0) - cutOff;
  const at = (p: number) => (report.latencyDistribution?.find((d) => d.percentage === p)?.latency ?? 0) / 1e6;
  if (failed > 0) console.log(`  (ghz errors: ${JSON.stringify(report.errorDistribution)})`);
  return { rate: ok / (report.total / 1e9), ok, failed, p50: at(50), p99: at(99) };
}

/** Runs wrk with a request script for `duration` s. */
async function wrk(bin: string, script: string, env: Record<string, string>, duration: number) {
  const { stdout } = await exec(
    bin,
    [
      "-t",
      "2",
      "-c",
      String(inFlight),
      "-d",
      `${duration}s`,
      "--timeout",
      "30s",
      "-s",
      join(benchDir, script),
      `http://${edge}`,
    ],
    { env: { ...process.env, BENCH_DIR: benchDir, ...env }, maxBuffer: 16 << 20 },
  );
  const line = stdout.split("\n").find((l) => l.startsWith("JSON "));
  if (!line) throw new Error(`wrk printed no summary:\n${stdout}`);
  const r = z
    .object({
      requests: z.number(),
      seconds: z.number(),
      p50: z.number(),
      p99: z.number(),
      errors: z.number(),
    })
    .parse(JSON.parse(line.slice(5)));
  const ok = r.requests - r.errors;
  return { rate: ok / r.seconds, ok, failed: r.errors, p50: r.p50, p99: r.p99 };
}

/** Runs pgbench with a script file and returns its tps (without the initial connection time). */
async function pgbench(bin: string, url: string, script: string, clients: number, extra: string[] = []) {
  const { stdout } = await exec(bin, [
    "-n",
    "-c",
    String(clients),
    "-j",
    "2",
    "-T",
    String(seconds),
    ...extra,
    "-f",
    join(benchDir, script),
    url,
  ]);
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout);
  if (!tps) throw new Error(`pgbench printed no tps:\n${stdout}`);
  return Number(tps[1]);
}

/** A KYC-verified customer with funded accounts, and a way to get a fresh access token. */
async function setUp() {
  const auth = createClient(AuthService, createGrpcTransport({ baseUrl: stackVar("AUTH_URL") }));
  const admin = await auth.login({
    username: stackVar("BOOTSTRAP_ADMIN_USERNAME"),
    password: stackVar("BOOTSTRAP_ADMIN_PASSWORD"),
  });
  const staff = `Bearer ${admin.tokens!.accessToken}`;
  const username = `bench_${run}`;
  const password = `Bench-Load-${run}-9`;
  await auth.register({ username, email: `${username}@example.com`, password, fullName: "Bench Load" });
  let tokens = (await auth.login({ username, password })).tokens!;
  const asUser = (token: string, url: string) => callerTransport(url, `Bearer ${token}`);
  const { customer } = await createClient(
    CustomerService,
    asUser(tokens.accessToken, stackVar("ACCOUNT_URL")),
  ).createCustomer({
    firstName: "Bench",
    lastName: `Load ${run}`,
    dateOfBirth: "1970-01-01",
    address: { line1: "1 Load Street", city: "Benchville", country: "US" },
  });
  await createClient(CustomerService, callerTransport(stackVar("ACCOUNT_URL"), staff)).verifyCustomerKyc({
    customerId: customer!.customerId,
    decision: KycStatus.VERIFIED,
    comment: "bench",
    documents: ["bench"],
  });
  const fresh = async () => {
    tokens = (await auth.refreshToken({ refreshToken: tokens.refreshToken })).tokens!;
    return tokens.accessToken;
  };
  const accounts = createClient(AccountService, asUser(await fresh(), stackVar("ACCOUNT_URL")));
  const teller = createClient(TransactionService, callerTransport(stackVar("TRANSACTION_URL"), staff));
  // Fundings above the cash approval threshold need a second staff member's approval.
  const deposit = createFourEyesDeposit({ auth, adminBearer: () => staff, run });
  const ids: string[] = [];
  for (let i = 0; i < accountCount; i++) {
    const { account } = await accounts.openAccount({
      customerId: customer!.customerId,
      accountType: AccountType.CHECKING,
      currency: "USD",
      branchId: 1 + (i % 3),
    });
    await deposit(teller, {
      accountId: account!.accountId,
      amount: "1000000.00",
      currency: "USD",
      idempotencyKey: `bench-fund-${run}-${i}`,
    });
    ids.push(String(account!.accountId));
  }
  return { ids, fresh };
}

/** Transfer requests between random pairs of the accounts (all from the first when hot). */
function transfers(ids: readonly string[], count: number, tag: string, hot = false) {
  return Array.from({ length: count }, (_, i) => {
    const from = hot ? 0 : Math.floor(Math.random() * ids.length);
    const to = (from + 1 + Math.floor(Math.random() * (ids.length - 1))) % ids.length;
    return {
      fromAccountId: ids[from],
      toAccountId: ids[to],
      amount: `${1 + (i % 9)}.00`,
      currency: "USD",
      idempotencyKey: `b-${run}-${tag}-${i}`,
    };
  });
}

/** Prints the CPU milliseconds per operation of each component, less its idle spending. */
function printCpu(
  title: string,
  cpu: { before: CpuSample; after: CpuSample; tools: number; seconds: number },
  operations: number,
) {
  const rows = cpuPerOperation(cpu.before, cpu.after, operations, idle, cpu.seconds);
  const total = rows.reduce((sum, r) => sum + r.msPerOp, 0);
  console.log(`  CPU per ${title} (ms; ${operations} operations, idle spending subtracted):`);
  for (const r of rows) console.log(`    ${r.component.padEnd(26)} ${r.msPerOp.toFixed(2).padStart(7)}`);
  console.log(`    ${"stack total".padEnd(26)} ${total.toFixed(2).padStart(7)}`);
  const toolMs = ((sampleEndedChildrenCpu() - cpu.tools) * 1000) / Math.max(operations, 1);
  console.log(`    ${"(the load tool)".padEnd(26)} ${toolMs.toFixed(2).padStart(7)}`);
}

/** Per-statement totals of the databases' pg_stat_statements, as each service's role sees them. */
type StatementSnapshot = Map<string, Map<string, { query: string; calls: number; ms: number }>>;
const statementDatabases = ["TRANSACTION", "ACCOUNT", "INSIGHTS"];

async function statementSnapshot(): Promise<StatementSnapshot> {
  const snapshot: StatementSnapshot = new Map();
  for (const name of statementDatabases) {
    const db = await createDatabasePool(stackVar(`${name}_DATABASE_URL`), { maximumPoolSize: 1 });
    try {
      const rows = await db.any(sql.type(
        z.object({ id: z.string(), query: z.string(), calls: z.number(), ms: z.number() }),
      )`
        SELECT queryid::text AS id, query, calls::float8 AS calls, total_exec_time AS ms
        FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`);
      snapshot.set(name.toLowerCase(), new Map(rows.map((r) => [r.id, r])));
    } catch {
      // No pg_stat_statements in this database (an older stack): nothing to show.
    } finally {
      await db.end();
    }
  }
  return snapshot;
}

/** Statements per operation and the costliest statements in each database between two snapshots. */
function printStatements(before: StatementSnapshot, after: StatementSnapshot, operations: number) {
  for (const [db, rows] of after) {
    const diffs = [...rows.entries()]
      .map(([id, r]) => {
        const b = before.get(db)?.get(id);
        return { query: r.query, calls: r.calls - (b?.calls ?? 0), ms: r.ms - (b?.ms ?? 0) };
      })
      .filter((d) => d.calls > 0);
    const calls = diffs.reduce((n, d) => n + d.calls, 0);
    const ms = diffs.reduce((n, d) => n + d.ms, 0);
    console.log(
      `  ${db} database: ${(calls / operations).toFixed(1)} statements and ${(ms / operations).toFixed(2)} ms ` +
        `of execution per operation; the costliest:`,
    );
    for (const d of diffs.sort((a, b) => b.ms - a.ms).slice(0, 6)) {
      const text = d.query.replace(/\s+/g, " ").slice(0, 96);
      console.log(
        `    ${(d.calls / operations).toFixed(2).padStart(6)} × ${(d.ms / Math.max(d.calls, 1)).toFixed(3).padStart(7)} ms  ${text}`,
      );
    }
  }
}

/** Runs a load while sampling the stack's CPU, and prints both. */
async function measured(name: string, load: () => Promise<LoadResult>): Promise<LoadResult> {
  const before = sampleStackCpu(stackDir, redisPort);
  const tools = sampleEndedChildrenCpu();
  const started = performance.now();
  const result = await load();
  const seconds = (performance.now() - started) / 1000;
  const after = sampleStackCpu(stackDir, redisPort);
  describe(name, result);
  printCpu(name.split(" ")[0]!.toLowerCase(), { before, after, tools, seconds }, result.ok);
  return result;
}

/**
 * The lag from a transfer's commit to its SUCCESS row in the warehouse, while `load` runs: every
 * 100 ms, the transfers completed since the phase began are read from the transaction database
 * and looked up in fact_transactions; a transfer's lag is the time it was first seen there minus
 * its completed_at. Ends 30 s after the load at the latest.
 */
async function cdcLag(load: Promise<LoadResult>) {
  const txDb = await createDatabasePool(stackVar("TRANSACTION_DATABASE_URL"), { maximumPoolSize: 1 });
  const whDb = await createDatabasePool(stackVar("INSIGHTS_DATABASE_URL"), { maximumPoolSize: 1 });
  try {
    let floor = await txDb.oneFirst(sql.type(z.object({ id: z.bigint() }))`
      SELECT COALESCE(max(transaction_id), 0) AS id FROM transactions`);
    const pending = new Map<bigint, number>();
    const seen = new Set<bigint>();
    const lags: number[] = [];
    let loadDone = false;
    let doneAt = 0;
    const result = load.then((r) => {
      loadDone = true;
      doneAt = Date.now();
      return r;
    });
    while (!loadDone || (pending.size > 0 && Date.now() - doneAt < 30_000)) {
      const completed = await txDb.any(sql.type(z.object({ id: z.bigint(), at: z.number() }))`
        SELECT transaction_id AS id, (EXTRACT(EPOCH FROM completed_at) * 1000)::float8 AS at
        FROM transactions WHERE transaction_id > ${floor} AND status = 'SUCCESS'`);
      for (const row of completed) {
        if (!seen.has(row.id)) {
          seen.add(row.id);
          pending.set(row.id, row.at);
        }
      }
      // Rows completed more than 10 s ago are all known: later polls start after them.
      const settled = completed.filter((r) => r.at < Date.now() - 10_000).map((r) => r.id);
      if (settled.length) floor = settled.reduce((a, b) => (a > b ? a : b), floor);
      if (pending.size) {
        const arrived = await whDb.anyFirst(sql.type(z.object({ id: z.bigint() }))`
          SELECT transaction_id AS id FROM fact_transactions
          WHERE transaction_id = ANY(${sql.array([...pending.keys()], "int8")}) AND status = 'SUCCESS'`);
        const now = Date.now();
        for (const id of arrived) {
          lags.push(now - pending.get(id)!);
          pending.delete(id);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    lags.sort((a, b) => a - b);
    const at = (q: number) => lags[Math.min(lags.length - 1, Math.floor(q * lags.length))] ?? NaN;
    return {
      load: await result,
      p50: at(0.5),
      p99: at(0.99),
      max: lags.at(-1) ?? NaN,
      measured: lags.length,
      missing: pending.size,
    };
  } finally {
    await txDb.end();
    await whDb.end();
  }
}

async function main() {
  ensureStackUp();
  const bin = await tools();
  say(`setting up a customer with ${accountCount} funded accounts…`);
  const { ids, fresh } = await setUp();
  say("measuring what the stack spends while idle (10 s)");
  idle = await idleCpu(stackDir, redisPort, 10);
  const idleTotal = [...idle.values()].reduce((a, b) => a + b, 0);
  console.log(`  the stack idles at ${(idleTotal * 100).toFixed(0)} % of one core`);
  const transfer = "fidalex.transaction.v1.TransactionService.Transfer";
  const balance = "fidalex.account.v1.AccountService.GetAccountBalance";
  const upper = Math.ceil(seconds * 3000);
  const figures: Record<string, number> = {};

  if (wants("ceiling") || wants("grpc") || wants("rest")) {
    say("transfer ceiling: pgbench, raw SQL on the transaction database");
    const url = stackVar("TRANSACTION_DATABASE_URL");
    await exec(bin.PGBENCH.replace(/pgbench$/, "psql"), [
      "-q",
      "-X",
      "-v",
      "ON_ERROR_STOP=1",
      "-f",
      join(benchDir, "ceiling-schema.sql"),
      url,
    ]);
    figures.ceiling32 = await pgbench(bin.PGBENCH, url, "ceiling-transfer.pgbench", 32);
    figures.ceiling8 = await pgbench(bin.PGBENCH, url, "ceiling-transfer.pgbench", 8);
    console.log(`  raw-SQL transfer, 32 clients ${figures.ceiling32.toFixed(0).padStart(8)} tps`);
    console.log(`  raw-SQL transfer,  8 clients ${figures.ceiling8.toFixed(0).padStart(8)} tps`);
  }
  if (wants("grpc")) {
    const profiles = await Promise.all(
      profiled.map((name) =>
        profileService(repoDir, stackDir, name, Number(stackVar(`FIDALEX_${name.toUpperCase()}_PORT`))),
      ),
    );
    say(`transfers through Envoy over gRPC, ${inFlight} in flight, uniform over ${ids.length} accounts`);
    const statementsBefore = await statementSnapshot();
    const r = await measured("transfer gRPC via Envoy", async () =>
      ghz(bin.GHZ, transfer, edge, await fresh(), transfers(ids, upper, "u"), { duration: seconds }),
    );
    figures.grpc = r.rate;
    printStatements(statementsBefore, await statementSnapshot(), r.ok);
    if (profiles.length) {
      for (const profile of profiles) console.log(await profile.stop());
      ensureStackUp();
    }
  }
  if (wants("rest")) {
    say(`transfers through Envoy over REST/JSON, ${inFlight} in flight`);
    const token = await fresh();
    const r = await measured("transfer REST via Envoy", () =>
      wrk(bin.WRK, "transfer.lua", { TOKEN: token, ACCOUNTS: ids.join(","), RUN: `b-${run}-r` }, seconds),
    );
    figures.rest = r.rate;
  }
  if (wants("hot")) {
    say("transfers through Envoy over gRPC, all from one hot account");
    const r = await measured("transfer gRPC via Envoy, hot account", async () =>
      ghz(bin.GHZ, transfer, edge, await fresh(), transfers(ids, upper, "h", true), { duration: seconds }),
    );
    figures.hot = r.rate;
  }
  if (wants("reads")) {
    say("balance reads: pgbench point select, then GetAccountBalance direct, via Envoy gRPC and REST");
    const url = stackVar("ACCOUNT_DATABASE_URL");
    const range = ["-D", `min_id=${ids[0]}`, "-D", `max_id=${ids.at(-1)}`];
    figures.pointSimple = await pgbench(bin.PGBENCH, url, "point-select.pgbench", inFlight, range);
    figures.pointPrepared = await pgbench(bin.PGBENCH, url, "point-select.pgbench", inFlight, [
      ...range,
      "-M",
      "prepared",
    ]);
    console.log(`  point select, simple protocol   ${figures.pointSimple.toFixed(0).padStart(8)} tps`);
    console.log(`  point select, prepared          ${figures.pointPrepared.toFixed(0).padStart(8)} tps`);
    const reads = Array.from({ length: 1000 }, (_, i) => ({ accountId: ids[i % ids.length] }));
    const token = await fresh();
    figures.readDirect = (
      await measured("balance gRPC direct", () =>
        ghz(bin.GHZ, balance, accountDirect, token, reads, { duration: seconds }),
      )
    ).rate;
    figures.readEnvoyGrpc = (
      await measured("balance gRPC via Envoy", () =>
        ghz(bin.GHZ, balance, edge, token, reads, { duration: seconds }),
      )
    ).rate;
    figures.readRest = (
      await measured("balance REST via Envoy", () =>
        wrk(bin.WRK, "balance.lua", { TOKEN: token, ACCOUNTS: ids.join(",") }, seconds),
      )
    ).rate;
  }
  if (wants("growth")) {
    say(`loading ${growthTransfers} more transfers through Envoy (gRPC), then the uniform run again`);
    // In chunks, each with a fresh token: access tokens live 5 minutes, the whole load far longer.
    let done = 0;
    for (let chunk = 0; done < growthTransfers; chunk++) {
      const size = Math.min(GROWTH_CHUNK, growthTransfers - done);
      const loaded = await ghz(bin.GHZ, transfer, edge, await fresh(), transfers(ids, size, `g${chunk}`), {
        total: size,
      });
      done += size;
      describe(`growth load, ${done} of ${growthTransfers}`, loaded);
    }
    const r = await measured("transfer gRPC via Envoy, after growth", async () =>
      ghz(bin.GHZ, transfer, edge, await fresh(), transfers(ids, upper, "a"), { duration: seconds }),
    );
    figures.grpcAfterGrowth = r.rate;
  }
  if (wants("lag")) {
    const rate = Math.max(10, Math.round((figures.grpc ?? 100) / 2));
    say(`CDC lag: transfers at ${rate}/s for ${lagSeconds} s, commit → row in fact_transactions`);
    const token = await fresh();
    const lag = await cdcLag(
      ghz(bin.GHZ, transfer, edge, token, transfers(ids, rate * lagSeconds + 1000, "l"), {
        duration: lagSeconds,
        rps: rate,
      }),
    );
    describe("transfer gRPC via Envoy, paced", lag.load);
    console.log(
      `  CDC lag: p50 ${lag.p50.toFixed(0)} ms, p99 ${lag.p99.toFixed(0)} ms, max ${lag.max.toFixed(0)} ms ` +
        `(${lag.measured} transfers measured, ${lag.missing} not in the warehouse 30 s after the load)`,
    );
    figures.lagP99 = lag.p99;
  }

  const conserved = await moneyConserved(ids);
  console.log(`\nmoney conserved over the benchmark's accounts: ${conserved ? "yes" : "NO"}`);
  console.log("\nratios (target):");
  const ratio = (name: string, a?: number, b?: number, target?: string) => {
    if (a === undefined || b === undefined) return;
    console.log(`  ${name.padEnd(58)} ${(a / b).toFixed(3).padStart(7)}   ${target ?? ""}`);
  };
  ratio("transfers via Envoy gRPC / raw-SQL ceiling (32)", figures.grpc, figures.ceiling32, "≥ 0.25");
  ratio("transfers via Envoy REST / raw-SQL ceiling (32)", figures.rest, figures.ceiling32, "≥ 0.25");
  ratio("hot account / uniform (gRPC)", figures.hot, figures.grpc, "≥ 0.3");
  ratio("balance via Envoy REST / direct gRPC", figures.readRest, figures.readDirect, "≥ 0.85");
  ratio(
    "balance via Envoy REST / point select (simple protocol)",
    figures.readRest,
    figures.pointSimple,
    "≥ 0.1",
  );
  ratio("balance via Envoy gRPC / direct gRPC", figures.readEnvoyGrpc, figures.readDirect);
  ratio("uniform after growth / before", figures.grpcAfterGrowth, figures.grpc, "≈ 1 (flat)");
  if (figures.lagP99 !== undefined)
    console.log(`  ${"CDC lag p99 (ms)".padEnd(58)} ${figures.lagP99.toFixed(0).padStart(7)}   ≤ 2000`);
}

/** Whether the benchmark's accounts hold exactly what was deposited (transfers move, never make). */
async function moneyConserved(ids: readonly string[]) {
  const db: DatabasePool = await createDatabasePool(stackVar("ACCOUNT_DATABASE_URL"), { maximumPoolSize: 1 });
  try {
    const total = await db.oneFirst(sql.type(z.object({ total: z.string() }))`
      SELECT sum(balance)::text AS total FROM accounts
      WHERE account_id = ANY(${sql.array(ids.map(BigInt), "int8")})`);
    return total === `${ids.length * 1_000_000}.00`;
  } finally {
    await db.end();
  }
}

await main();
// The pools' sockets may keep the event loop alive a moment; the figures are printed.
process.exit(0);
