// The Insights service against the real stack: CDC-shaped change events produced to the real
// Debezium topics, loaded by the loader into the warehouse, and read back the way an analyst reads
// them, through the InsightsService RPCs. The warehouse is shared, so every run uses its own ids
// (large and random), its own branches, and days of its own for the range reports.
import { randomInt } from "node:crypto";
import { jest } from "@jest/globals";
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { z } from "zod";
import { createDatabasePool, sql, type DatabasePool } from "../../runtime/database.js";
import { money } from "../../runtime/money.js";
import { Granularity } from "../../../gen/ts/fidalex/insights/v1/customer_growth_pb.js";
import { InsightsService } from "../../../gen/ts/fidalex/insights/v1/insights_service_pb.js";
import type { LoanReport } from "../../../gen/ts/fidalex/insights/v1/loan_report_pb.js";
import type { TransactionFact } from "../../../gen/ts/fidalex/insights/v1/transaction_fact_pb.js";
import { startTestService } from "../../../test/support/service-harness.js";
import { stackVar } from "../../../test/support/stack.js";
import { createTestSigner, type TestSigner } from "../../../test/support/test-tokens.js";
import { cdcTopics } from "../loader/change-plan.js";
import { loaderName } from "../loader/insights-loader.js";
import { insightsService } from "../main.js";
import {
  changeOf,
  createCdcProducer,
  epochDays,
  readTopicUntil,
  type CdcProducer,
  type Produced,
  type Row,
} from "./support/cdc-events.js";
import { eventually, eventuallyPasses } from "../../../test/support/eventually.js";

jest.setTimeout(120_000);

const today = new Date().toISOString().slice(0, 10);
const runBase = BigInt(Date.now()) * 1000n + BigInt(randomInt(1000));
let idCounter = 0n;
/** A fresh id of this run; below 2^53, so JSON carries it exactly. */
const newId = () => Number(runBase + ++idCounter);
let lsnCounter = 1_000;
/** A log sequence number later than every one this run sent before. */
const nextLsn = () => (lsnCounter += 100);
/** A branch id of this run (INT). */
const newBranchId = () => randomInt(100_000_000, 2_000_000_000);

function dayPlus(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A random day between the years, for reports over ranges that only this run writes to. */
function randomDay(fromYear: number, years: number): string {
  return new Date(Date.UTC(fromYear + randomInt(years), randomInt(12), 1 + randomInt(27)))
    .toISOString()
    .slice(0, 10);
}

const branchRow = (branchId: number, name: string): Row => ({
  branch_id: branchId,
  branch_name: name,
  region: "North-East",
});

const accountRow = (o: {
  accountId: number;
  branchId: number;
  balance: string;
  updatedAt?: string;
}): Row => ({
  account_id: o.accountId,
  customer_id: o.accountId + 7,
  account_number: `FB-${String(o.accountId).slice(-8)}`,
  account_type: "CHECKING",
  currency: "USD",
  balance: o.balance,
  status: "ACTIVE",
  branch_id: o.branchId,
  is_settlement: false,
  opened_at: "2024-01-15T09:30:00.123456Z",
  closed_at: null,
  updated_at: o.updatedAt ?? new Date().toISOString(),
});

const transactionRow = (o: {
  transactionId: number;
  accountId: number;
  amount: string;
  status?: string;
  type?: string;
}): Row => ({
  transaction_id: o.transactionId,
  account_id: o.accountId,
  related_account_id: null,
  transaction_type: o.type ?? "DEPOSIT",
  amount: o.amount,
  currency: "USD",
  status: o.status ?? "SUCCESS",
  created_at: `${today}T12:00:00.000001Z`,
  completed_at: o.status === "PENDING" ? null : `${today}T12:00:01Z`,
  description: "insights test",
  metadata: JSON.stringify({ channel: "test" }),
  failure_reason: o.status === "FAILED" ? "INSUFFICIENT_FUNDS" : null,
  posting_kind: "DEPOSIT",
  postings: "[]",
  initiated_by: "user:1001",
});

let signer: TestSigner;
let running: { url: string; close(): Promise<void> };
let client: Client<typeof InsightsService>;
let producer: CdcProducer;
let db: DatabasePool;
let teller: string;
const brokers = () => stackVar("KAFKA_BROKERS").split(",");

const as = (bearer: string) => ({ headers: { authorization: bearer } });

beforeAll(async () => {
  signer = await createTestSigner();
  teller = await signer.bearer({ sub: "1001", roles: ["TELLER"] });
  running = await startTestService(insightsService, {
    env: { DATABASE_URL: stackVar("INSIGHTS_DATABASE_URL"), KAFKA_BROKERS: stackVar("KAFKA_BROKERS") },
    signer,
  });
  client = createClient(InsightsService, createGrpcTransport({ baseUrl: running.url }));
  producer = await createCdcProducer(brokers());
  db = await createDatabasePool(stackVar("INSIGHTS_DATABASE_URL"), { maximumPoolSize: 2 });
}, 600_000);

afterAll(async () => {
  await producer?.disconnect();
  await running?.close();
  await db?.end();
});

/** Waits until the loader has applied (or skipped) the produced message. */
async function appliedThrough(produced: Produced): Promise<void> {
  await eventuallyPasses("the loader to apply the produced change", async () => {
    const row = await db.maybeOne(sql.type(z.object({ last_offset: z.bigint() }))`
      SELECT last_offset FROM cdc_offsets
      WHERE consumer = ${loaderName} AND topic = ${produced.topic} AND partition = ${produced.partition}
    `);
    expect(row?.last_offset ?? -1n).toBeGreaterThanOrEqual(BigInt(produced.offset));
  });
}

/** Waits until no day waits for a refresh of the daily summary (every change loaded is in it). */
async function summaryRefreshed(): Promise<void> {
  await eventuallyPasses("the daily summary refreshed", async () => {
    const markers = await db.oneFirst(sql.type(z.object({ n: z.number() }))`
      SELECT count(*)::int AS n FROM summary_dirty_days
    `);
    expect(markers).toBe(0);
  });
}

/** Every fact of the range (and branch), following next_page_token; stops early once `until` holds. */
async function listFacts(
  start: string,
  end: string,
  branchId = 0,
  until?: (facts: TransactionFact[]) => boolean,
): Promise<TransactionFact[]> {
  const facts: TransactionFact[] = [];
  let pageToken = "";
  do {
    const page = await client.listTransactionFacts(
      { start, end, branchId, pageSize: 500, pageToken },
      as(teller),
    );
    facts.push(...page.transactionFacts);
    pageToken = page.nextPageToken;
  } while (pageToken && !until?.(facts));
  return facts;
}

async function findFact(transactionId: number, branchId = 0) {
  const facts = await listFacts(today, today, branchId, (all) =>
    all.some((f) => f.transactionId === BigInt(transactionId)),
  );
  return facts.find((f) => f.transactionId === BigInt(transactionId));
}

async function summaryOf(day: string, branchId: number) {
  let pageToken = "";
  do {
    const page = await client.getDailySummary({ date: day, pageSize: 500, pageToken }, as(teller));
    const row = page.dailyBranchSummaries.find((s) => s.branchId === branchId);
    if (row) return row;
    pageToken = page.nextPageToken;
  } while (pageToken);
  return undefined;
}

async function snapshotOf(day: string, accountId: number) {
  let pageToken = "";
  do {
    const page = await client.getAccountsReport({ date: day, pageSize: 500, pageToken }, as(teller));
    const row = page.accountBalanceSnapshots.find((s) => s.accountId === BigInt(accountId));
    if (row) return row;
    pageToken = page.nextPageToken;
  } while (pageToken);
  return undefined;
}

async function codeOf(call: Promise<unknown>): Promise<Code | "OK"> {
  try {
    await call;
    return "OK";
  } catch (error) {
    return ConnectError.from(error).code;
  }
}

describe("loading transactions", () => {
  const branchId = newBranchId();
  const accountId = newId();
  const deposit = newId();
  const failed = newId();
  const accountLsn = nextLsn();
  const depositLsn = nextLsn();
  let accountMessage: Row;
  let depositMessage: Row;

  beforeAll(async () => {
    accountMessage = changeOf(accountRow({ accountId, branchId, balance: "250.00" }), accountLsn, {
      op: "c",
    });
    depositMessage = changeOf(
      transactionRow({ transactionId: deposit, accountId, amount: "250.00" }),
      depositLsn,
      {
        op: "c",
      },
    );
    await producer.send(
      cdcTopics.branches,
      { branch_id: branchId },
      changeOf(branchRow(branchId, `Test ${runBase}`), nextLsn()),
    );
    await producer.send(cdcTopics.accounts, { account_id: accountId }, accountMessage);
    await producer.send(cdcTopics.transactions, { transaction_id: deposit }, depositMessage);
    await producer.send(
      cdcTopics.transactions,
      { transaction_id: failed },
      changeOf(
        transactionRow({ transactionId: failed, accountId, amount: "40.10", status: "FAILED" }),
        nextLsn(),
        {
          op: "c",
        },
      ),
    );
  });

  it("loads each transaction with its account's branch, day, amount and status", async () => {
    const facts = await eventually("both facts of the day", async () => {
      const found = await listFacts(today, today, branchId);
      expect(found).toHaveLength(2);
      return found;
    });
    expect(
      facts.map((f) => [f.transactionId, f.accountId, f.branchId, f.date, f.amount, f.currency, f.status]),
    ).toEqual([
      [BigInt(deposit), BigInt(accountId), branchId, today, "250.00", "USD", "SUCCESS"],
      [BigInt(failed), BigInt(accountId), branchId, today, "40.10", "USD", "FAILED"],
    ]);
    expect(facts[0]!.transactionType).toBe("DEPOSIT");
  });

  it("shows the load in the daily summary after the refresh, with the branch's name and region", async () => {
    const row = await eventually("the day in the daily summary", async () => {
      const found = await summaryOf(today, branchId);
      expect(found?.totalTransactions).toBe(2n);
      return found!;
    });
    expect(row).toMatchObject({
      date: today,
      branchName: `Test ${runBase}`,
      region: "North-East",
      currency: "USD",
      totalVolume: "290.10",
      totalSuccessVolume: "250.00",
    });
  });

  it("changes nothing when a message is delivered again", async () => {
    const before = {
      facts: await listFacts(today, today, branchId),
      summary: await eventually("the day in the daily summary", async () => {
        const found = await summaryOf(today, branchId);
        expect(found?.totalTransactions).toBe(2n);
        return found;
      }),
      snapshot: await snapshotOf(today, accountId),
    };
    await producer.send(cdcTopics.accounts, { account_id: accountId }, accountMessage);
    const again = await producer.send(cdcTopics.transactions, { transaction_id: deposit }, depositMessage);
    await appliedThrough(again);
    await summaryRefreshed();
    expect(await listFacts(today, today, branchId)).toEqual(before.facts);
    expect(await summaryOf(today, branchId)).toEqual(before.summary);
    expect(await snapshotOf(today, accountId)).toEqual(before.snapshot);
  });

  it("records load batches and refreshes in etl_runs", async () => {
    const runs = await db.any(sql.type(
      z.object({ kind: z.string(), status: z.string(), rows_applied: z.bigint() }),
    )`
      SELECT kind, status, rows_applied FROM etl_runs
      WHERE started_at > NOW() - INTERVAL '10 minutes'
    `);
    expect(runs.some((r) => r.kind === "LOAD" && r.status === "SUCCEEDED" && r.rows_applied > 0n)).toBe(true);
    expect(runs.some((r) => r.kind === "REFRESH" && r.status === "SUCCEEDED")).toBe(true);
  });
});

describe("ordering", () => {
  it("does not let an older update overwrite a newer one", async () => {
    const branchId = newBranchId();
    const accountId = newId();
    const transactionId = newId();
    const olderAccount = nextLsn();
    const olderTransaction = nextLsn();
    const newerAccount = nextLsn();
    const newerTransaction = nextLsn();
    // The newer changes arrive first; the older ones, delayed, after them.
    await producer.send(
      cdcTopics.accounts,
      { account_id: accountId },
      changeOf(accountRow({ accountId, branchId, balance: "900.00" }), newerAccount),
    );
    await producer.send(
      cdcTopics.transactions,
      { transaction_id: transactionId },
      changeOf(
        transactionRow({ transactionId, accountId, amount: "75.00", status: "SUCCESS" }),
        newerTransaction,
      ),
    );
    const lastAccount = await producer.send(
      cdcTopics.accounts,
      { account_id: accountId },
      changeOf(accountRow({ accountId, branchId, balance: "100.00" }), olderAccount),
    );
    const lastTransaction = await producer.send(
      cdcTopics.transactions,
      { transaction_id: transactionId },
      changeOf(
        transactionRow({ transactionId, accountId, amount: "75.00", status: "PENDING" }),
        olderTransaction,
        {
          op: "c",
        },
      ),
    );
    await appliedThrough(lastAccount);
    await appliedThrough(lastTransaction);

    const fact = await findFact(transactionId, branchId);
    expect(fact).toMatchObject({ status: "SUCCESS", amount: "75.00", branchId });
    expect(await snapshotOf(today, accountId)).toMatchObject({ balance: "900.00", currency: "USD" });
  });

  it("removes a deleted transaction from the facts, and an older change does not bring it back", async () => {
    const branchId = newBranchId();
    const accountId = newId();
    const fullDelete = newId();
    const keyOnlyDelete = newId();
    await producer.send(
      cdcTopics.accounts,
      { account_id: accountId },
      changeOf(accountRow({ accountId, branchId, balance: "10.00" }), nextLsn()),
    );
    const created = nextLsn();
    for (const transactionId of [fullDelete, keyOnlyDelete]) {
      await producer.send(
        cdcTopics.transactions,
        { transaction_id: transactionId },
        changeOf(transactionRow({ transactionId, accountId, amount: "5.00" }), created, { op: "c" }),
      );
    }
    await eventuallyPasses("both facts of the day", async () =>
      expect(await listFacts(today, today, branchId)).toHaveLength(2),
    );

    const deletedAt = nextLsn();
    // With REPLICA IDENTITY FULL the delete carries the last row state; by default only the key.
    await producer.send(
      cdcTopics.transactions,
      { transaction_id: fullDelete },
      changeOf(transactionRow({ transactionId: fullDelete, accountId, amount: "5.00" }), deletedAt, {
        op: "d",
      }),
    );
    await producer.send(cdcTopics.transactions, { transaction_id: fullDelete }, null);
    await producer.send(
      cdcTopics.transactions,
      { transaction_id: keyOnlyDelete },
      changeOf({ transaction_id: keyOnlyDelete }, deletedAt, { op: "d" }),
    );
    const stale = await producer.send(
      cdcTopics.transactions,
      { transaction_id: fullDelete },
      changeOf(transactionRow({ transactionId: fullDelete, accountId, amount: "6.00" }), created + 1),
    );
    await appliedThrough(stale);
    await eventuallyPasses("no facts of the day", async () =>
      expect(await listFacts(today, today, branchId)).toEqual([]),
    );
  });
});

describe("a transaction whose account has not arrived", () => {
  it("loads to the Unassigned branch, then moves to the account's branch when the account arrives", async () => {
    const branchId = newBranchId();
    const accountId = newId();
    const transactionId = newId();
    await producer.send(
      cdcTopics.transactions,
      { transaction_id: transactionId },
      changeOf(transactionRow({ transactionId, accountId, amount: "12.34" }), nextLsn(), { op: "c" }),
    );
    const unassigned = await eventually("the fact on the Unassigned branch", async () => {
      const fact = await findFact(transactionId);
      expect(fact).toBeDefined();
      return fact!;
    });
    expect(unassigned.branchId).toBe(0);

    await producer.send(
      cdcTopics.accounts,
      { account_id: accountId },
      changeOf(accountRow({ accountId, branchId, balance: "12.34" }), nextLsn(), { op: "c" }),
    );
    await eventuallyPasses("the fact on the account's branch", async () => {
      expect(await findFact(transactionId, branchId)).toMatchObject({ branchId, amount: "12.34" });
    });
  });
});

describe("malformed change events", () => {
  it("go to the dead-letter topic, and the next event is still loaded", async () => {
    const branchId = newBranchId();
    const accountId = newId();
    const notJson = newId();
    const noAmount = newId();
    const good = newId();
    await producer.send(
      cdcTopics.accounts,
      { account_id: accountId },
      changeOf(accountRow({ accountId, branchId, balance: "1.00" }), nextLsn()),
    );
    await producer.sendRaw(cdcTopics.transactions, { transaction_id: notJson }, "{not json");
    const missing = transactionRow({ transactionId: noAmount, accountId, amount: "1.00" });
    delete missing.amount;
    await producer.send(
      cdcTopics.transactions,
      { transaction_id: noAmount },
      changeOf(missing, nextLsn(), { op: "c" }),
    );
    await producer.send(
      cdcTopics.transactions,
      { transaction_id: good },
      changeOf(transactionRow({ transactionId: good, accountId, amount: "3.00" }), nextLsn(), { op: "c" }),
    );

    await eventuallyPasses("the good fact", async () =>
      expect(await findFact(good, branchId)).toMatchObject({ amount: "3.00" }),
    );
    const keys = [notJson, noAmount].map((transactionId) =>
      JSON.stringify({ transaction_id: transactionId }),
    );
    const dead = await readTopicUntil(brokers(), `${cdcTopics.transactions}.dlq`, (seen) =>
      keys.every((key) => seen.some((m) => m.key === key)),
    );
    const reasons = keys.map((key) => dead.find((m) => m.key === key)?.headers["dlq-reason"]);
    expect(reasons[0]).toMatch(/not JSON/);
    expect(reasons[1]).toMatch(/transactions\.amount is missing/);
    expect(await listFacts(today, today, 0, () => false)).not.toContainEqual(
      expect.objectContaining({ transactionId: BigInt(noAmount) }),
    );
  });
});

describe("accounts report", () => {
  it("returns the day's snapshots page by page with totals per currency", async () => {
    const branchId = newBranchId();
    const first = newId();
    const second = newId();
    // Two changes on the same day: the snapshot keeps the later balance.
    await producer.send(
      cdcTopics.accounts,
      { account_id: first },
      changeOf(accountRow({ accountId: first, branchId, balance: "10.00" }), nextLsn(), { op: "c" }),
    );
    await producer.send(
      cdcTopics.accounts,
      { account_id: first },
      changeOf(accountRow({ accountId: first, branchId, balance: "-12.50" }), nextLsn()),
    );
    const last = await producer.send(
      cdcTopics.accounts,
      { account_id: second },
      changeOf(accountRow({ accountId: second, branchId, balance: "1000.00" }), nextLsn(), { op: "r" }),
    );
    await appliedThrough(last);

    expect(await snapshotOf(today, first)).toMatchObject({
      accountId: BigInt(first),
      customerId: BigInt(first + 7),
      accountType: "CHECKING",
      date: today,
      balance: "-12.50",
      currency: "USD",
    });
    expect(await snapshotOf(today, second)).toMatchObject({ balance: "1000.00" });

    const page = await client.getAccountsReport({ date: today, pageSize: 1 }, as(teller));
    expect(page.accountBalanceSnapshots).toHaveLength(1);
    expect(page.nextPageToken).not.toBe("");
    const usd = page.totals.find((t) => t.currency === "USD");
    expect(usd?.accountCount).toBeGreaterThanOrEqual(2n);
    expect(usd?.totalBalance).toMatch(/^-?\d+\.\d{2}$/);
    const next = await client.getAccountsReport(
      { date: today, pageSize: 1, pageToken: page.nextPageToken },
      as(teller),
    );
    expect(next.accountBalanceSnapshots[0]!.accountId).toBeGreaterThan(
      page.accountBalanceSnapshots[0]!.accountId,
    );
    expect(next.totals).toEqual(page.totals);
  });
});

describe("customers growth", () => {
  it("counts sign-ups per period with a running total", async () => {
    const start = randomDay(2001, 10);
    const end = dayPlus(start, 13);
    const growth = (granularity: Granularity, pageSize = 0, pageToken = "") =>
      client.getCustomersGrowth({ start, end, granularity, pageSize, pageToken }, as(teller));
    const before = await growth(Granularity.DAY);
    expect(before.periods).toHaveLength(14);

    const customers: Array<[number, string]> = [
      [newId(), `${start}T00:00:00Z`],
      [newId(), `${start}T23:59:59.999999Z`],
      [newId(), `${dayPlus(start, 2)}T08:15:00Z`],
    ];
    for (const [customerId, createdAt] of customers) {
      await producer.send(
        cdcTopics.customers,
        { customer_id: customerId },
        changeOf(
          { customer_id: customerId, first_name: "Ada", created_at: createdAt, updated_at: createdAt },
          nextLsn(),
          {
            op: "c",
          },
        ),
      );
    }

    const after = await eventually("three new customers in the growth series", async () => {
      const result = await growth(Granularity.DAY);
      expect(result.periods[13]!.cumulativeCustomers).toBe(before.periods[13]!.cumulativeCustomers + 3n);
      return result;
    });
    expect(after.periods[0]).toMatchObject({
      periodStart: start,
      newCustomers: before.periods[0]!.newCustomers + 2n,
      cumulativeCustomers: before.periods[0]!.cumulativeCustomers + 2n,
    });
    expect(after.periods[2]!.newCustomers).toBe(before.periods[2]!.newCustomers + 1n);

    const weeks = await growth(Granularity.WEEK);
    expect(weeks.periods[0]!.periodStart).toBe(start);
    expect(new Date(`${weeks.periods[1]!.periodStart}T00:00:00Z`).getUTCDay()).toBe(1);
    expect(weeks.periods.reduce((sum, p) => sum + p.newCustomers, 0n)).toBe(
      after.periods.reduce((sum, p) => sum + p.newCustomers, 0n),
    );

    const firstPage = await growth(Granularity.DAY, 5);
    expect(firstPage.periods.map((p) => p.periodStart)).toEqual(
      after.periods.slice(0, 5).map((p) => p.periodStart),
    );
    const secondPage = await growth(Granularity.DAY, 5, firstPage.nextPageToken);
    expect(secondPage.periods).toEqual(after.periods.slice(5, 10));
  });
});

describe("loans report", () => {
  it("reports disbursements, repayments, decisions and outstanding balances of the range", async () => {
    const day = randomDay(2011, 9);
    const usd = (reports: LoanReport[]) => reports.find((r) => r.currency === "USD");
    const before = usd((await client.getLoansReport({ start: day, end: day }, as(teller))).loanReports);
    const customerId = newId();
    const approved = newId();
    const rejected = newId();
    const loanId = newId();
    const paymentId = newId();
    const decidedAt = `${day}T11:00:00Z`;
    const application = (applicationId: number, status: string): Row => ({
      application_id: applicationId,
      customer_id: customerId,
      amount_requested: "10000.00",
      term_months: 24,
      purpose: "car",
      status,
      submitted_at: `${dayPlus(day, -3)}T10:00:00Z`,
      reviewed_at: decidedAt,
      decision_by: "ML_MODEL_V1",
    });
    await producer.send(
      cdcTopics.loanApplications,
      { application_id: approved },
      changeOf(application(approved, "APPROVED"), nextLsn()),
    );
    await producer.send(
      cdcTopics.loanApplications,
      { application_id: rejected },
      changeOf(application(rejected, "REJECTED"), nextLsn()),
    );
    await producer.send(
      cdcTopics.loanAccounts,
      { loan_id: loanId },
      changeOf(
        {
          loan_id: loanId,
          application_id: approved,
          customer_id: customerId,
          principal_amount: "10000.00",
          outstanding_balance: "9500.00",
          interest_rate: "5.250",
          start_date: epochDays(day),
          end_date: epochDays(dayPlus(day, 730)),
          status: "ACTIVE",
          created_at: decidedAt,
          updated_at: `${day}T18:00:00Z`,
        },
        nextLsn(),
      ),
    );
    await producer.send(
      cdcTopics.loanPayments,
      { payment_id: paymentId },
      changeOf(
        {
          payment_id: paymentId,
          loan_id: loanId,
          due_date: epochDays(dayPlus(day, 30)),
          payment_amount: "450.00",
          paid_amount: "500.00",
          paid_date: epochDays(day),
          status: "PAID",
        },
        nextLsn(),
      ),
    );

    const delta = (after: LoanReport, field: keyof LoanReport) =>
      typeof after[field] === "bigint"
        ? (after[field] as bigint) - ((before?.[field] as bigint | undefined) ?? 0n)
        : money(after[field] as string)
            .minus(money((before?.[field] as string | undefined) ?? "0"))
            .toFixed(2);
    const after = await eventually("the loan repayment in the loans report", async () => {
      const report = usd((await client.getLoansReport({ start: day, end: day }, as(teller))).loanReports);
      expect(report && delta(report, "repaymentCount")).toBe(1n);
      expect(report && delta(report, "outstandingLoanCount")).toBe(1n);
      return report!;
    });
    expect(delta(after, "disbursedCount")).toBe(1n);
    expect(delta(after, "disbursedAmount")).toBe("10000.00");
    expect(delta(after, "repaymentAmount")).toBe("500.00");
    expect(delta(after, "approvedCount")).toBe(1n);
    expect(delta(after, "rejectedCount")).toBe(1n);
    expect(delta(after, "outstandingBalance")).toBe("9500.00");
  });

  it("has no reports for a range without loan activity", async () => {
    const reports = await client.getLoansReport({ start: "2000-01-01", end: "2000-01-02" }, as(teller));
    expect(reports.loanReports).toEqual([]);
  });
});

describe("access and arguments", () => {
  const calls = (bearer?: string) => {
    const options = bearer ? as(bearer) : {};
    return [
      client.getDailySummary({ date: today }, options),
      client.listTransactionFacts({ start: today, end: today }, options),
      client.getAccountsReport({ date: today }, options),
      client.getLoansReport({ start: today, end: today }, options),
      client.getCustomersGrowth({ start: today, end: today }, options),
    ];
  };

  it("refuses a customer with PERMISSION_DENIED and a caller without a token with UNAUTHENTICATED", async () => {
    const customer = await signer.bearer({ sub: "77", roles: ["CUSTOMER"], cid: "77" });
    expect(await Promise.all(calls(customer).map(codeOf))).toEqual(Array(5).fill(Code.PermissionDenied));
    expect(await Promise.all(calls().map(codeOf))).toEqual(Array(5).fill(Code.Unauthenticated));
    const admin = await signer.bearer({ sub: "1001", roles: ["ADMIN"] });
    expect(await Promise.all(calls(admin).map(codeOf))).toEqual(Array(5).fill("OK"));
  });

  it.each([
    ["an impossible day", () => client.getDailySummary({ date: "2026-02-30" }, as(teller))],
    ["a missing day", () => client.getDailySummary({ date: "" }, as(teller))],
    ["a day outside the calendar", () => client.getAccountsReport({ date: "1999-12-31" }, as(teller))],
    ["a malformed day", () => client.getAccountsReport({ date: "24-1-1" }, as(teller))],
    [
      "an end before the start",
      () => client.listTransactionFacts({ start: today, end: "2020-01-01" }, as(teller)),
    ],
    ["a month 13", () => client.getCustomersGrowth({ start: "2026-13-01", end: "2026-12-31" }, as(teller))],
    [
      "a range past the calendar",
      () => client.getLoansReport({ start: "2050-01-01", end: "2051-01-01" }, as(teller)),
    ],
    ["a negative page size", () => client.getDailySummary({ date: today, pageSize: -1 }, as(teller))],
    [
      "a foreign page token",
      () => client.getDailySummary({ date: today, pageToken: "bm90LWEtdG9rZW4" }, as(teller)),
    ],
  ])("refuses %s with INVALID_ARGUMENT", async (_name, call) => {
    expect(await codeOf(call())).toBe(Code.InvalidArgument);
  });
});
