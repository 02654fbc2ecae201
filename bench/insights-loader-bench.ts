// What the Insights loader costs per transfer, and how far the warehouse lags its sources.
//
//   npm run bench:insights
//     BENCH_TRANSFERS=3000 BENCH_RATE=100    real transfers through the stack's services
//     BENCH_SYNTHETIC_RATE=300 BENCH_SECONDS=60   change events produced straight to the CDC topics
//     BENCH_PHASES=mesh,synthetic            which phases to run
//
// Runs against the local stack (bash stack/stack.sh up) and its running Insights service:
// - mesh: transfers between 100 new accounts through the stack's Transaction service (the admin's
//   token, gRPC straight to the services, 32 in flight, at most BENCH_RATE started per second), so
//   every change travels outbox and tables → Debezium → Kafka → loader. Lag is the time from the
//   commit of the transfer's completion (source_ts: the commit time Debezium read from the WAL) to
//   its SUCCESS row in fact_transactions (loaded_at); also printed from completed_at (NOW() of that
//   transaction, so its start), which earlier versions of this benchmark measured from.
// - synthetic: the four change events of a transfer (the transaction's insert and completion, both
//   accounts' balance updates) produced to the loader's topics at BENCH_SYNTHETIC_RATE transfers/s
//   for BENCH_SECONDS, to load the loader beyond what the mesh can drive on this machine. Its facts
//   are filed under a day of 2000, so today's figures stay real. Lag is from the produce time
//   (the event's completed_at) to the row.
// Per phase it prints the loader's CPU (the Insights process and its PostgreSQL backends) per
// transfer, the warehouse's commits per transfer, the cluster's WAL bytes per transfer (every
// database shares one WAL) and the lag's p50/p99/max. Figures are printed, never asserted.
import { execFileSync } from "node:child_process";
import { randomInt } from "node:crypto";
import { readFileSync } from "node:fs";
import { Kafka, logLevel, Partitioners } from "kafkajs";
import { z } from "zod";
import { createDatabasePool, sql, type DatabasePool } from "../services/runtime/database.js";
import { TransactionStatus } from "../gen/ts/fidalex/transaction/v1/transaction_pb.js";
import { connectStackBank, runTransferLoad } from "../services/insights/test/support/stack-bank.js";
import { ensureStackUp, stackVar } from "../test/support/stack.js";

const transfers = Number(process.env.BENCH_TRANSFERS ?? 3000);
const rate = Number(process.env.BENCH_RATE ?? 100);
const syntheticRate = Number(process.env.BENCH_SYNTHETIC_RATE ?? 300);
const syntheticSeconds = Number(process.env.BENCH_SECONDS ?? 60);
const phases = (process.env.BENCH_PHASES ?? "mesh,synthetic").split(",");
const clockTicks = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim());

/** CPU seconds (user + system) a process has used, or 0 when it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  } catch {
    return 0;
  }
}

const percentile = (sorted: number[], q: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/** The loader's resource counters at one moment. */
interface Counters {
  at: number;
  serviceCpu: number;
  backendCpu: Map<number, number>;
  commits: bigint;
  rollbacks: bigint;
  walLsn: string;
}

async function counters(warehouse: DatabasePool, servicePid: number): Promise<Counters> {
  const backends = await warehouse.anyFirst(sql.type(z.object({ pid: z.number() }))`
    SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
  `);
  const stats = await warehouse.one(sql.type(
    z.object({ commits: z.bigint(), rollbacks: z.bigint(), lsn: z.string() }),
  )`
    SELECT xact_commit AS commits, xact_rollback AS rollbacks, pg_current_wal_lsn()::text AS lsn
    FROM pg_stat_database WHERE datname = current_database()
  `);
  return {
    at: performance.now(),
    serviceCpu: cpuSeconds(servicePid),
    backendCpu: new Map(backends.map((pid) => [pid, cpuSeconds(pid)])),
    commits: stats.commits,
    rollbacks: stats.rollbacks,
    walLsn: stats.lsn,
  };
}

async function report(
  name: string,
  warehouse: DatabasePool,
  before: Counters,
  after: Counters,
  count: number,
  lags: readonly { label: string; ms: readonly number[] }[],
) {
  let backend = 0;
  for (const [pid, end] of after.backendCpu) backend += end - (before.backendCpu.get(pid) ?? 0);
  const wal = await warehouse.oneFirst(sql.type(z.object({ bytes: z.string() }))`
    SELECT pg_wal_lsn_diff(${after.walLsn}::pg_lsn, ${before.walLsn}::pg_lsn)::text AS bytes
  `);
  const per = (value: number) => (value / count).toFixed(2);
  console.log(
    [
      `${name}: ${count} transfers in ${((after.at - before.at) / 1000).toFixed(1)} s (load and catch-up)`,
      `  loader CPU per transfer: ${per((after.serviceCpu - before.serviceCpu) * 1000)} ms Insights process + ` +
        `${per(backend * 1000)} ms its PostgreSQL backends`,
      `  warehouse commits per transfer: ${per(Number(after.commits - before.commits))} ` +
        `(+ ${per(Number(after.rollbacks - before.rollbacks))} rollbacks); ` +
        `cluster WAL per transfer: ${(Number(wal) / count / 1024).toFixed(2)} KiB`,
      ...lags.map(({ label, ms }) => {
        const sorted = [...ms].sort((a, b) => a - b);
        return (
          `  ${label} over ${sorted.length} transfers: p50 ${percentile(sorted, 0.5).toFixed(0)} ms, ` +
          `p99 ${percentile(sorted, 0.99).toFixed(0)} ms, max ${(sorted.at(-1) ?? NaN).toFixed(0)} ms`
        );
      }),
    ].join("\n"),
  );
}

/** Waits until `done` holds (checked every second), at most `timeoutMs`; returns whether it did. */
async function waitUntil(done: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await done()) return true;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return false;
}

async function meshPhase(warehouse: DatabasePool, transactionsDb: DatabasePool, servicePid: number) {
  const bank = await connectStackBank();
  console.log("opening 100 funded accounts over branches 1–5…");
  const accounts = await bank.openAccounts(100, [1, 2, 3, 4, 5]);
  // Let the accounts' own changes reach the warehouse before counting.
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const pick = (): [bigint, bigint] => {
    const from = randomInt(accounts.length);
    const to = (from + 1 + randomInt(accounts.length - 1)) % accounts.length;
    return [accounts[from]!.accountId, accounts[to]!.accountId];
  };
  console.log(`mesh: ${transfers} transfers at up to ${rate}/s, 32 in flight…`);
  const before = await counters(warehouse, servicePid);
  const loadStart = performance.now();
  const outcomes = await runTransferLoad(bank, { count: transfers, perSecond: rate, inFlight: 32, pick });
  const loadSeconds = (performance.now() - loadStart) / 1000;
  const ids = outcomes.filter((o) => o.status === TransactionStatus.SUCCESS).map((o) => o.transactionId!);
  console.log(
    `  ${ids.length} of ${outcomes.length} transfers SUCCESS, ${(outcomes.length / loadSeconds).toFixed(0)}/s achieved`,
  );
  const loaded = await waitUntil(async () => {
    const count = await warehouse.oneFirst(sql.type(z.object({ n: z.number() }))`
      SELECT count(*)::int AS n FROM fact_transactions
      WHERE transaction_id = ANY(${sql.array(ids, "int8")}) AND status = 'SUCCESS'
    `);
    return count === ids.length;
  }, 300_000);
  const after = await counters(warehouse, servicePid);
  if (!loaded) console.log("  (not every transfer reached the warehouse within 300 s)");
  const completed = await transactionsDb.any(sql.type(z.object({ id: z.bigint(), at: z.date() }))`
    SELECT transaction_id AS id, completed_at AS at FROM transactions
    WHERE transaction_id = ANY(${sql.array(ids, "int8")})
  `);
  const facts = await warehouse.any(sql.type(
    z.object({ id: z.bigint(), loaded: z.date(), committed: z.date().nullable() }),
  )`
    SELECT transaction_id AS id, loaded_at AS loaded, source_ts AS committed FROM fact_transactions
    WHERE transaction_id = ANY(${sql.array(ids, "int8")}) AND status = 'SUCCESS'
  `);
  const loadedAt = new Map(facts.map((f) => [f.id, f.loaded.getTime()]));
  await report("mesh", warehouse, before, after, ids.length, [
    {
      // source_ts: the commit time of the completing transaction, as Debezium read it from the WAL.
      label: "CDC lag (source commit → SUCCESS row in fact_transactions)",
      ms: facts.flatMap((f) => (f.committed ? [f.loaded.getTime() - f.committed.getTime()] : [])),
    },
    {
      // completed_at is NOW() of that transaction, i.e. its start: this adds the transaction's own time.
      label: "from completed_at (the transaction's start) to the row",
      ms: completed.flatMap((c) => {
        const at = loadedAt.get(c.id);
        return at === undefined ? [] : [at - c.at.getTime()];
      }),
    },
  ]);
}

async function syntheticPhase(warehouse: DatabasePool, servicePid: number) {
  const kafka = new Kafka({
    clientId: "insights-bench",
    brokers: stackVar("KAFKA_BROKERS").split(","),
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  // Ids of this run below 2^53 (JSON numbers), far above the sequences of the real tables.
  const base = BigInt(Date.now()) * 1000n + BigInt(randomInt(1000)) * 1_000_000n;
  // A day of 2000, long before the partitions pg_partman makes (a far-future day in the default
  // partition would stop its maintenance from making that month's partition).
  const day = `2000-${String(1 + randomInt(12)).padStart(2, "0")}-${String(1 + randomInt(28)).padStart(2, "0")}`;
  let lsn = Date.now() * 1000;
  const change = (row: Record<string, unknown>, op: string) =>
    JSON.stringify({ ...row, __op: op, __deleted: "false", __source_ts_ms: Date.now(), __lsn: ++lsn });
  const accountIds = Array.from({ length: 100 }, (_, i) => base + BigInt(i));
  const balances = new Map(accountIds.map((id) => [id, 1_000_000]));
  const accountRow = (id: bigint) => ({
    account_id: Number(id),
    customer_id: Number(base),
    account_number: `BENCH-${id}`,
    account_type: "CHECKING",
    currency: "USD",
    balance: balances.get(id)!.toFixed(2),
    status: "ACTIVE",
    branch_id: 1 + Number(id % 5n),
    is_settlement: false,
    opened_at: "2000-01-01T00:00:00Z",
    closed_at: null,
    updated_at: new Date().toISOString(),
  });
  await producer.send({
    topic: "cdc.account.public.accounts",
    messages: accountIds.map((id) => ({
      key: JSON.stringify({ account_id: Number(id) }),
      value: change(accountRow(id), "c"),
    })),
  });
  await new Promise((resolve) => setTimeout(resolve, 3000));

  const total = syntheticRate * syntheticSeconds;
  console.log(`synthetic: ${total} transfers (4 change events each) at ${syntheticRate}/s, facts on ${day}…`);
  const before = await counters(warehouse, servicePid);
  const firstId = base + 1000n;
  let sent = 0;
  const started = performance.now();
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * syntheticRate) + 1);
    const transactions: { key: string; value: string }[] = [];
    const accounts: { key: string; value: string }[] = [];
    for (; sent < due; sent++) {
      const id = Number(firstId + BigInt(sent));
      const from = accountIds[randomInt(100)]!;
      let to = accountIds[randomInt(100)]!;
      while (to === from) to = accountIds[randomInt(100)]!;
      const row = {
        transaction_id: id,
        account_id: Number(from),
        related_account_id: Number(to),
        transaction_type: "TRANSFER",
        amount: "1.00",
        currency: "USD",
        status: "PENDING",
        created_at: `${day}T12:00:00.000001Z`,
        completed_at: null as string | null,
        posting_kind: "TRANSFER",
        postings: "[]",
        initiated_by: "bench",
      };
      const key = JSON.stringify({ transaction_id: id });
      transactions.push({ key, value: change(row, "c") });
      balances.set(from, balances.get(from)! - 1);
      balances.set(to, balances.get(to)! + 1);
      accounts.push({
        key: JSON.stringify({ account_id: Number(from) }),
        value: change(accountRow(from), "u"),
      });
      accounts.push({ key: JSON.stringify({ account_id: Number(to) }), value: change(accountRow(to), "u") });
      transactions.push({
        key,
        value: change({ ...row, status: "SUCCESS", completed_at: new Date().toISOString() }, "u"),
      });
    }
    if (transactions.length > 0) {
      await producer.sendBatch({
        topicMessages: [
          { topic: "cdc.transaction.public.transactions", messages: transactions },
          { topic: "cdc.account.public.accounts", messages: accounts },
        ],
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  console.log(`  produced in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const lastId = firstId + BigInt(total);
  const loaded = await waitUntil(async () => {
    const count = await warehouse.oneFirst(sql.type(z.object({ n: z.number() }))`
      SELECT count(*)::int AS n FROM fact_transactions
      WHERE date_id = ${day}::date AND transaction_id >= ${firstId} AND transaction_id < ${lastId}
        AND status = 'SUCCESS'
    `);
    return count === total;
  }, 300_000);
  const after = await counters(warehouse, servicePid);
  if (!loaded) console.log("  (not every transfer reached the warehouse within 300 s)");
  const lags = await warehouse.anyFirst(sql.type(z.object({ ms: z.number() }))`
    SELECT (EXTRACT(EPOCH FROM loaded_at - completed_at) * 1000)::float8 AS ms FROM fact_transactions
    WHERE date_id = ${day}::date AND transaction_id >= ${firstId} AND transaction_id < ${lastId}
      AND status = 'SUCCESS'
  `);
  await producer.disconnect();
  await report("synthetic", warehouse, before, after, total, [
    { label: "lag (produced → SUCCESS row in fact_transactions)", ms: lags },
  ]);
}

async function main() {
  ensureStackUp();
  const servicePid = Number(readFileSync(`${stackVar("FIDALEX_STACK_DIR")}/run/insights.pid`, "utf8").trim());
  const warehouse = await createDatabasePool(stackVar("INSIGHTS_DATABASE_URL"), { maximumPoolSize: 2 });
  const transactionsDb = await createDatabasePool(stackVar("TRANSACTION_DATABASE_URL"), {
    maximumPoolSize: 1,
  });
  try {
    if (phases.includes("mesh")) await meshPhase(warehouse, transactionsDb, servicePid);
    if (phases.includes("synthetic")) await syntheticPhase(warehouse, servicePid);
  } finally {
    await warehouse.end();
    await transactionsDb.end();
  }
}

await main();
