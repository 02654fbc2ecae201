// The warehouse under faults (issue 16), against the stack this repository runs: for each of Kafka,
// Kafka Connect and Redis, a transfer load runs through the stack's services over new accounts,
// the component is killed with SIGKILL in the middle of it, more accounts are opened and used while
// it is down, it is restarted (`bash stack/stack.sh up` starts what is down), the load goes on a
// little, and within 60 s after it ends:
//   - every day's transaction count and sum (per status) is equal in the transaction database and
//     the warehouse (the transactions made since this test began);
//   - every account opened since the test began is in dim_account with its branch;
//   - no fact is on another branch than its account's;
//   - every SUCCESS transaction has its transaction.completed on Kafka (duplicates allowed);
// then the InsightsService health check answers SERVING again.
// It prints the warehouse lag (source commit → fact row, p50/p99/max) for the transfers committed
// before the kill, while the component was down and after, and the health statuses it saw. It
// kills processes of this checkout's stack only (their command line names its .stack folder), so it
// never runs beside other tests: `npm run test:faults`, CI's last test step.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { jest } from "@jest/globals";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Kafka, logLevel, type Consumer } from "kafkajs";
import { z } from "zod";
import { InsightsService } from "../../../gen/ts/fidalex/insights/v1/insights_service_pb.js";
import {
  Health,
  HealthCheckResponse_ServingStatus as Serving,
} from "../../../gen/ts/grpc/health/v1/health_pb.js";
import { createDatabasePool, sql, type DatabasePool } from "../../runtime/database.js";
import { ensureTopics } from "../../runtime/kafka-topics.js";
import { createLogger } from "../../runtime/logger.js";
import { eventuallyPasses } from "../../../test/support/eventually.js";
import { repoDir, stackVar } from "../../../test/support/stack.js";
import {
  connectStackBank,
  runTransferLoad,
  type StackBank,
  type TransferOutcome,
} from "./support/stack-bank.js";

jest.setTimeout(15 * 60_000);

/**
 * Transfers per second and in flight; seconds of load before the kill, seconds the component stays
 * down before `stack.sh up` restarts it (plus the restart's own time), and seconds of load after.
 */
const rate = Number(process.env.FAULT_RATE ?? 10);
const inFlight = 8;
const leadSeconds = 8;
const downSeconds = 3;
const tailSeconds = 10;
const components = ["kafka", "connect", "redis"] as const;
const branches = [1, 2, 3, 4, 5];
type Component = (typeof components)[number];

const stackDir = stackVar("FIDALEX_STACK_DIR");
let bank: StackBank;
let transactionsDb: DatabasePool;
let accountsDb: DatabasePool;
let warehouse: DatabasePool;
let firstTransaction: bigint;
let firstAccount: bigint;
let completedReader: Consumer;
const completed = new Map<string, number>();
const report: string[] = [];

beforeAll(async () => {
  bank = await connectStackBank();
  transactionsDb = await createDatabasePool(stackVar("TRANSACTION_DATABASE_URL"), { maximumPoolSize: 2 });
  accountsDb = await createDatabasePool(stackVar("ACCOUNT_DATABASE_URL"), { maximumPoolSize: 2 });
  warehouse = await createDatabasePool(stackVar("INSIGHTS_DATABASE_URL"), { maximumPoolSize: 2 });
  firstTransaction = await transactionsDb.oneFirst(sql.type(z.object({ id: z.bigint() }))`
    SELECT COALESCE(MAX(transaction_id), 0) + 1 AS id FROM transactions
  `);
  firstAccount = await accountsDb.oneFirst(sql.type(z.object({ id: z.bigint() }))`
    SELECT COALESCE(MAX(account_id), 0) + 1 AS id FROM accounts
  `);
  // transaction.completed: a group of its own, from the topic's beginning (a new group starting at
  // the end could miss the first events, written while it joins); only this test's ids count.
  const brokers = stackVar("KAFKA_BROKERS").split(",");
  await ensureTopics(brokers, ["transaction.completed"], createLogger("fault-test", "silent"));
  const kafka = new Kafka({
    clientId: "insights-fault-test",
    brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 30, maxRetryTime: 5_000 },
  });
  completedReader = kafka.consumer({ groupId: `insights-fault-test-${bank.run}` });
  await completedReader.connect();
  await completedReader.subscribe({ topic: "transaction.completed", fromBeginning: true });
  let joined!: () => void;
  const hasJoined = new Promise<void>((resolve) => (joined = resolve));
  completedReader.on(completedReader.events.GROUP_JOIN, () => joined());
  await completedReader.run({
    eachMessage: async ({ message }) => {
      const { transactionId } = JSON.parse(message.value!.toString("utf8")) as { transactionId: string };
      if (BigInt(transactionId) < firstTransaction) return;
      completed.set(transactionId, (completed.get(transactionId) ?? 0) + 1);
    },
  });
  await hasJoined;
}, 10 * 60_000);

afterAll(async () => {
  await completedReader?.disconnect();
  await Promise.all([transactionsDb?.end(), accountsDb?.end(), warehouse?.end()]);
  console.log(["warehouse under faults:", ...report].join("\n"));
});

/** Kills the component with SIGKILL, after checking that the process is this stack's. */
function kill(component: Component): number {
  const pid = Number(readFileSync(`${stackDir}/run/${component}.pid`, "utf8").trim());
  const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  const ours =
    component === "redis"
      ? cmdline.startsWith(`redis-server ${stackVar("FIDALEX_HOST")}:${stackVar("FIDALEX_REDIS_PORT")}`)
      : cmdline.includes(`${stackDir}/`);
  if (!ours)
    throw new Error(`pid ${pid} of ${component} is not this stack's process: ${cmdline.slice(0, 200)}`);
  process.kill(pid, "SIGKILL");
  return pid;
}

/**
 * Kills the component, leaves it down a few seconds and restarts it with `stack.sh up`, which also
 * runs when anything failed, so that whatever follows finds the stack whole.
 */
async function outage(
  component: Component,
  whileDown: () => void,
): Promise<{ killedAt: Date; backAt: Date }> {
  const killedAt = new Date();
  try {
    kill(component);
    whileDown();
    await sleep(downSeconds * 1000);
  } finally {
    await stackUp();
  }
  return { killedAt, backAt: new Date() };
}

/** `bash stack/stack.sh up`: starts what is down and waits until everything is ready. */
function stackUp(): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      "bash",
      ["stack/stack.sh", "up"],
      { cwd: repoDir, timeout: 10 * 60_000 },
      (error, stdout, stderr) =>
        error
          ? reject(
              new Error(
                `stack.sh up failed: ${error.message}\n${stdout.slice(-2000)}\n${stderr.slice(-2000)}`,
              ),
            )
          : resolve(),
    );
  });
}

const percentile = (sorted: number[], q: number) =>
  sorted.length === 0
    ? "n/a"
    : `${Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!)} ms`;

/**
 * The lag (source commit → fact row) of the SUCCESS transactions from id `firstId` to `lastId` (the
 * bench's synthetic facts have ids beyond the database's) committed in [from, to).
 */
async function lags(firstId: bigint, lastId: bigint, from: Date, to: Date) {
  const ms = await warehouse.anyFirst(sql.type(z.object({ ms: z.number() }))`
    SELECT (EXTRACT(EPOCH FROM loaded_at - source_ts) * 1000)::float8 AS ms FROM fact_transactions
    WHERE transaction_id BETWEEN ${firstId} AND ${lastId} AND status = 'SUCCESS'
      AND source_ts >= ${from.toISOString()}::timestamptz
      AND source_ts < ${to.toISOString()}::timestamptz
  `);
  const sorted = [...ms].sort((a, b) => a - b);
  return `${sorted.length} transfers, p50 ${percentile(sorted, 0.5)}, p99 ${percentile(sorted, 0.99)}, max ${percentile(sorted, 1)}`;
}

const perDayRow = z.object({ day: z.string(), status: z.string(), n: z.bigint(), total: z.string() });

/** The four checks of the issue, over what happened since the test began. */
async function expectWarehouseConsistent() {
  const last = await transactionsDb.oneFirst(sql.type(z.object({ id: z.bigint() }))`
    SELECT COALESCE(MAX(transaction_id), 0) AS id FROM transactions
  `);
  const source = await transactionsDb.any(sql.type(perDayRow)`
    SELECT (created_at AT TIME ZONE 'UTC')::date::text AS day, status, COUNT(*) AS n, SUM(amount)::text AS total
    FROM transactions WHERE transaction_id BETWEEN ${firstTransaction} AND ${last}
    GROUP BY 1, 2 ORDER BY 1, 2
  `);
  const loaded = await warehouse.any(sql.type(perDayRow)`
    SELECT date_id::text AS day, status, COUNT(*) AS n, SUM(amount)::text AS total
    FROM fact_transactions WHERE transaction_id BETWEEN ${firstTransaction} AND ${last} AND NOT is_deleted
    GROUP BY 1, 2 ORDER BY 1, 2
  `);
  expect(loaded).toEqual(source);

  const accounts = await accountsDb.any(sql.type(z.object({ id: z.bigint(), branch: z.number() }))`
    SELECT account_id AS id, branch_id AS branch FROM accounts WHERE account_id >= ${firstAccount} ORDER BY 1
  `);
  const dims = await warehouse.any(sql.type(z.object({ id: z.bigint(), branch: z.number() }))`
    SELECT account_id AS id, branch_id AS branch FROM dim_account
    WHERE account_id = ANY(${sql.array(
      accounts.map((a) => a.id),
      "int8",
    )}) AND NOT is_deleted ORDER BY 1
  `);
  expect(dims).toEqual(accounts);

  const facts = await warehouse.any(sql.type(
    z.object({ id: z.bigint(), account: z.bigint(), branch: z.number() }),
  )`
    SELECT transaction_id AS id, account_id AS account, branch_id AS branch FROM fact_transactions
    WHERE transaction_id BETWEEN ${firstTransaction} AND ${last}
  `);
  const branchOf = new Map(
    (
      await accountsDb.any(sql.type(z.object({ id: z.bigint(), branch: z.number() }))`
        SELECT account_id AS id, branch_id AS branch FROM accounts
        WHERE account_id = ANY(${sql.array([...new Set(facts.map((f) => f.account))], "int8")})
      `)
    ).map((a) => [a.id, a.branch]),
  );
  const misplaced = facts.filter((f) => branchOf.get(f.account) !== f.branch);
  expect(misplaced).toEqual([]);

  const successes = await transactionsDb.anyFirst(sql.type(z.object({ id: z.bigint() }))`
    SELECT transaction_id AS id FROM transactions
    WHERE transaction_id BETWEEN ${firstTransaction} AND ${last} AND status = 'SUCCESS'
  `);
  const missing = successes.filter((id) => !completed.has(id.toString()));
  expect(missing).toEqual([]);
  return { transactions: successes.length, last };
}

describe.each(components)("%s killed with SIGKILL in the middle of a transfer load", (component) => {
  it("leaves the warehouse equal to its sources within 60 s after the load, and reports its lag", async () => {
    const accounts = await bank.openAccounts(20, branches, "100000.00");
    const phaseFirst = await transactionsDb.oneFirst(sql.type(z.object({ id: z.bigint() }))`
      SELECT COALESCE(MAX(transaction_id), 0) + 1 AS id FROM transactions
    `);
    const health = createClient(
      Health,
      createGrpcTransport({
        baseUrl: `http://${stackVar("FIDALEX_HOST")}:${stackVar("FIDALEX_INSIGHTS_PORT")}`,
      }),
    );
    const statuses = new Set<string>();
    let watching = true;
    const watch = (async () => {
      while (watching) {
        const status = await health.check({ service: InsightsService.typeName }, { timeoutMs: 2_000 }).then(
          (r) => Serving[r.status],
          () => "UNREACHABLE",
        );
        statuses.add(status!);
        await sleep(1_000);
      }
    })();

    const stop = new AbortController();
    const load = runTransferLoad(bank, {
      perSecond: rate,
      inFlight,
      signal: stop.signal,
      pick: (i) => {
        const from = i % accounts.length;
        const to = (from + 1 + (i % (accounts.length - 1))) % accounts.length;
        return [accounts[from]!.accountId, accounts[to]!.accountId];
      },
    });
    let killedAt: Date, backAt: Date;
    let outcomes: TransferOutcome[];
    let loadEnded: number;
    let checked: { transactions: number; last: bigint } | undefined;
    let convergedIn: string;
    try {
      try {
        await sleep(leadSeconds * 1000);
        // Accounts opened while the component is down, and transfers of theirs at once: their facts
        // may reach the warehouse before they do (the facts and dimensions lanes catch up apart).
        let opening: Promise<void> = Promise.resolve();
        ({ killedAt, backAt } = await outage(component, () => {
          opening = bank
            .openAccounts(4, branches, "100000.00")
            .then((opened) => void accounts.push(...opened));
        }));
        await sleep(tailSeconds * 1000);
        await opening;
      } finally {
        stop.abort();
        outcomes = await load;
        loadEnded = Date.now();
      }
      await eventuallyPasses(
        "the warehouse equal to its sources",
        async () => {
          checked = await expectWarehouseConsistent();
        },
        { timeoutMs: Math.max(5_000, 60_000 - (Date.now() - loadEnded)), intervalMs: 2_000 },
      );
      convergedIn = ((Date.now() - loadEnded) / 1000).toFixed(1);
      // What a caller of the service sees: healthy again once the warehouse has caught up.
      await eventuallyPasses(
        "InsightsService health SERVING",
        async () => {
          const { status } = await health.check({ service: InsightsService.typeName }, { timeoutMs: 2_000 });
          expect(Serving[status]).toBe("SERVING");
        },
        { timeoutMs: 30_000, intervalMs: 1_000 },
      );
    } finally {
      watching = false;
      await watch;
    }

    const duplicates = [...completed.values()].filter((n) => n > 1).length;
    report.push(
      [
        `${component}: killed ${killedAt.toISOString()}, back after ${((backAt.getTime() - killedAt.getTime()) / 1000).toFixed(0)} s; ` +
          `${outcomes.length} transfers (${outcomes.filter((o) => o.error).length} without an answer); ` +
          `consistent ${convergedIn} s after the load; ${checked?.transactions} SUCCESS since the test began, ` +
          `${duplicates} of them with duplicate transaction.completed; InsightsService health seen: ${[...statuses].join(", ")}`,
        `  lag while down:  ${await lags(phaseFirst, checked!.last, killedAt, backAt)}`,
        `  lag after:       ${await lags(phaseFirst, checked!.last, backAt, new Date(Date.now() + 60_000))}`,
        `  lag before kill: ${await lags(phaseFirst, checked!.last, new Date(0), killedAt)}`,
      ].join("\n"),
    );
    console.log(report.at(-1));
  });
});
