// The warehouse never stalls behind its own inputs and never goes stale in silence (issue 16),
// against the real stack: change events produced to the real topics, loaded by this test's Insights
// instance (it shares the loader's consumer groups with the stack's), read through the RPCs.
//   - facts load while the dimensions lane is held up, and move to their branch when it resumes;
//   - a day whose volume exceeds 10^16 is summed exactly;
//   - a refresh made to fail (the summary table locked against writes) makes GetDailySummary say
//     stale and why, and the InsightsService health check NOT_SERVING, until a refresh succeeds;
//   - every answer carries its as-of time; the operator's view and the metrics show the lag.
import { randomInt } from "node:crypto";
import { connect } from "node:http2";
import { jest } from "@jest/globals";
import { createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { z } from "zod";
import { InsightsService } from "../../../gen/ts/fidalex/insights/v1/insights_service_pb.js";
import {
  Health,
  HealthCheckResponse_ServingStatus as Serving,
} from "../../../gen/ts/grpc/health/v1/health_pb.js";
import { createDatabasePool, sql, type DatabasePool } from "../../runtime/database.js";
import { startTestService } from "../../../test/support/service-harness.js";
import { stackVar } from "../../../test/support/stack.js";
import { createTestSigner } from "../../../test/support/test-tokens.js";
import { eventually, eventuallyPasses } from "../../../test/support/eventually.js";
import { cdcTopics } from "../loader/change-plan.js";
import { insightsService } from "../main.js";
import { changeOf, createCdcProducer, type CdcProducer, type Row } from "./support/cdc-events.js";

jest.setTimeout(180_000);

const runBase = BigInt(Date.now()) * 1000n + BigInt(randomInt(1000));
let idCounter = 0n;
const newId = () => Number(runBase + ++idCounter);
let lsn = Date.now() * 1000;
const nextLsn = () => ++lsn;
const newBranchId = () => randomInt(100_000_000, 2_000_000_000);
/** A day of its own in the 2000s, where no other test writes facts. */
const ownDay = () =>
  new Date(Date.UTC(2002 + randomInt(8), randomInt(12), 1 + randomInt(27))).toISOString().slice(0, 10);

const accountRow = (accountId: number, branchId: number): Row => ({
  account_id: accountId,
  customer_id: accountId + 7,
  account_type: "CHECKING",
  currency: "USD",
  balance: "0.00",
  status: "ACTIVE",
  branch_id: branchId,
  opened_at: "2024-01-15T09:30:00Z",
  closed_at: null,
  updated_at: new Date().toISOString(),
});

const depositRow = (transactionId: number, accountId: number, amount: string, day: string): Row => ({
  transaction_id: transactionId,
  account_id: accountId,
  related_account_id: null,
  transaction_type: "DEPOSIT",
  amount,
  currency: "USD",
  status: "SUCCESS",
  created_at: `${day}T10:00:00Z`,
  completed_at: `${day}T10:00:01Z`,
  posting_kind: "DEPOSIT",
  postings: "[]",
  initiated_by: "user:1",
});

let running: Awaited<ReturnType<typeof startTestService>>;
let client: Client<typeof InsightsService>;
let health: Client<typeof Health>;
let producer: CdcProducer;
let db: DatabasePool;
let teller: { headers: { authorization: string } };

beforeAll(async () => {
  const signer = await createTestSigner();
  teller = { headers: { authorization: await signer.bearer({ sub: "1001", roles: ["TELLER"] }) } };
  running = await startTestService(insightsService, {
    env: {
      DATABASE_URL: stackVar("INSIGHTS_DATABASE_URL"),
      KAFKA_BROKERS: stackVar("KAFKA_BROKERS"),
      REFRESH_INTERVAL_SECONDS: "1",
      REFRESH_FAILURES_UNHEALTHY: "2",
      HEALTH_CHECK_INTERVAL_MS: "500",
      LOADER_CHECK_INTERVAL_MS: "500",
    },
    signer,
  });
  const transport = createGrpcTransport({ baseUrl: running.url });
  client = createClient(InsightsService, transport);
  health = createClient(Health, transport);
  producer = await createCdcProducer(stackVar("KAFKA_BROKERS").split(","));
  db = await createDatabasePool(stackVar("INSIGHTS_DATABASE_URL"), { maximumPoolSize: 3 });
}, 600_000);

afterAll(async () => {
  await producer?.disconnect();
  await running?.close();
  await db?.end();
});

/** Produces an account's creation, as the account connector would. */
async function sendAccount(accountId: number, branchId: number) {
  await producer.send(
    cdcTopics.accounts,
    { account_id: accountId },
    changeOf(accountRow(accountId, branchId), nextLsn(), { op: "c" }),
  );
}

/** Produces a SUCCESS deposit's creation on the day, as the transaction connector would. */
async function sendDeposit(transactionId: number, accountId: number, amount: string, day: string) {
  await producer.send(
    cdcTopics.transactions,
    { transaction_id: transactionId },
    changeOf(depositRow(transactionId, accountId, amount, day), nextLsn(), { op: "c" }),
  );
}

const insightsHealth = async () => (await health.check({ service: InsightsService.typeName })).status;

async function factOf(transactionId: number) {
  return db.maybeOne(sql.type(z.object({ branch_id: z.number(), amount: z.string() }))`
    SELECT branch_id, amount FROM fact_transactions WHERE transaction_id = ${transactionId}
  `);
}

/**
 * Holds a lock on a table in a transaction of its own until `release` is called (a lock mode that
 * lets readers read but blocks the writes of the lane or refresh under test).
 */
const lockModes = {
  SHARE: sql.fragment`SHARE`,
  "SHARE ROW EXCLUSIVE": sql.fragment`SHARE ROW EXCLUSIVE`,
};

async function holdLock(table: string, mode: keyof typeof lockModes): Promise<{ release(): Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const done = db.transaction(async (tx) => {
    await tx.query(sql.unsafe`SELECT set_config('statement_timeout', '0', true)`);
    await tx.query(sql.unsafe`LOCK TABLE ${sql.identifier([table])} IN ${lockModes[mode]} MODE`);
    locked();
    await released;
  });
  await Promise.race([isLocked, done]);
  return {
    async release() {
      release();
      await done;
    },
  };
}

describe("the loader never waits behind its own inputs", () => {
  it("loads a fact at once while its account is held up in the dimensions lane, then moves it to the account's branch", async () => {
    const branchId = newBranchId();
    const accountId = newId();
    const transactionId = newId();
    // The dimensions lane cannot write dim_account while this lock is held; reads go on.
    const lock = await holdLock("dim_account", "SHARE ROW EXCLUSIVE");
    try {
      await sendAccount(accountId, branchId);
      await sendDeposit(transactionId, accountId, "12.34", ownDay());
      const parked = await eventually(
        "the fact loaded while its account waits",
        () => factOf(transactionId).then((f) => f ?? undefined),
        {
          timeoutMs: 30_000,
        },
      );
      expect(parked).toEqual({ branch_id: 0, amount: "12.34" });
    } finally {
      await lock.release();
    }
    await eventuallyPasses("the fact on its account's branch", async () =>
      expect(await factOf(transactionId)).toEqual({ branch_id: branchId, amount: "12.34" }),
    );
    expect(
      await db.maybeOne(sql.unsafe`SELECT 1 FROM parked_accounts WHERE account_id = ${accountId}`),
    ).toBeNull();
  });
});

describe("sums without a bound", () => {
  it("summarizes a day whose volume exceeds 10^16 exactly", async () => {
    const day = ownDay();
    const branchId = newBranchId();
    const accountId = newId();
    await sendAccount(accountId, branchId);
    // The largest amount the contract allows, three times: 2.9999999999999999997e16.
    for (let i = 0; i < 3; i++) await sendDeposit(newId(), accountId, "9999999999999999.99", day);
    const row = await eventually("the day's summary", async () => {
      const page = await client.getDailySummary({ date: day }, teller);
      const found = page.dailyBranchSummaries.find((s) => s.branchId === branchId);
      return found?.totalTransactions === 3n ? found : undefined;
    });
    expect(row).toMatchObject({
      totalVolume: "29999999999999999.97",
      totalSuccessVolume: "29999999999999999.97",
    });
  });
});

describe("staleness is never silent", () => {
  it("says when each answer's data is from", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const answers = await Promise.all([
      client.getDailySummary({ date: today }, teller),
      client.listTransactionFacts({ start: today, end: today, pageSize: 1 }, teller),
      client.getAccountsReport({ date: today, pageSize: 1 }, teller),
      client.getLoansReport({ start: today, end: today }, teller),
      client.getCustomersGrowth({ start: today, end: today }, teller),
    ]);
    for (const answer of answers) {
      expect(answer.freshness?.stale).toBe(false);
      const asOf = timestampDate(answer.freshness!.asOf!);
      expect(Date.now() - asOf.getTime()).toBeLessThan(60_000);
    }
    expect(answers[0]!.freshness?.refreshedAt).toBeDefined();
    expect(answers[1]!.freshness?.refreshedAt).toBeUndefined();
  });

  it("reports a failing refresh as stale and degrades health until a refresh succeeds", async () => {
    const day = ownDay();
    const branchId = newBranchId();
    const accountId = newId();
    const transactionId = newId();
    // The refresh must write daily_branch_summary; SHARE mode lets readers in and writers wait,
    // so each refresh fails at its lock timeout.
    const lock = await holdLock("daily_branch_summary", "SHARE");
    try {
      await sendAccount(accountId, branchId);
      await sendDeposit(transactionId, accountId, "5.00", day);
      const stale = await eventually(
        "GetDailySummary saying stale",
        async () => {
          const { freshness } = await client.getDailySummary({ date: day }, teller);
          return freshness?.stale ? freshness : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 500 },
      );
      expect(stale.staleReason).toMatch(/daily summary's last .*failed since .*lock timeout/);
      await eventuallyPasses(
        "the InsightsService health check NOT_SERVING",
        async () => expect(await insightsHealth()).toBe(Serving.NOT_SERVING),
        { timeoutMs: 60_000, intervalMs: 500 },
      );
      // The server itself keeps serving: the edge routes answers that say they are stale.
      expect((await health.check({ service: "" })).status).toBe(Serving.SERVING);
      // The tables are not stale for it.
      const facts = await client.listTransactionFacts({ start: day, end: day }, teller);
      expect(facts.freshness?.stale).toBe(false);
      expect(await metric("insights_summary_refresh_failures")).toBeGreaterThanOrEqual(1);
    } finally {
      await lock.release();
    }
    await eventuallyPasses(
      "a successful refresh",
      async () => {
        const page = await client.getDailySummary({ date: day }, teller);
        expect(page.freshness?.stale).toBe(false);
        expect(page.dailyBranchSummaries.find((s) => s.branchId === branchId)?.totalVolume).toBe("5.00");
      },
      { timeoutMs: 90_000, intervalMs: 1_000 },
    );
    await eventuallyPasses("the InsightsService SERVING again", async () =>
      expect(await insightsHealth()).toBe(Serving.SERVING),
    );
  });

  it("shows the lag per topic and partition to operators, and as metrics", async () => {
    const lags = await db.any(
      sql.type(
        z.object({ topic: z.string(), backlog: z.bigint(), lag_seconds: z.number().nullable() }),
      )`SELECT topic, backlog, EXTRACT(EPOCH FROM lag)::float8 AS lag_seconds FROM warehouse_lag`,
    );
    expect(lags.map((l) => l.topic)).toEqual(
      expect.arrayContaining([cdcTopics.transactions, cdcTopics.accounts]),
    );
    expect(lags.every((l) => l.lag_seconds !== null && l.lag_seconds < 60)).toBe(true);
    expect(await metric("insights_warehouse_lag_seconds")).toBeLessThan(60);
    const text = await metricsText();
    expect(text).toMatch(/^insights_loader_apply_lag_seconds_count \d+$/m);
    expect(text).toMatch(
      /^insights_loader_partition_backlog\{topic="cdc.transaction.public.transactions",partition="0"\} \d+$/m,
    );
  });
});

/** GET /metrics from the service (HTTP/2 without TLS, as its port speaks). */
function metricsText(): Promise<string> {
  return new Promise((resolve, reject) => {
    const session = connect(running.url);
    session.on("error", reject);
    const req = session.request({ ":method": "GET", ":path": "/metrics" });
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      session.close();
      resolve(body);
    });
    req.on("error", reject);
    req.end();
  });
}

async function metric(name: string): Promise<number> {
  const line = (await metricsText()).split("\n").find((l) => l.startsWith(`${name} `));
  return Number(line?.split(" ")[1]);
}
