// The loader's pure parts: a fetched batch planned into warehouse work (each row's newest change,
// rejects for the dead-letter topic, heartbeats), freshness judged against the service's bound,
// and the metrics' text format.
import {
  planBatch,
  firstSourceTime,
  cdcTopics,
  heartbeatTopics,
  type BatchWork,
} from "../loader/change-plan.js";
import { isDataError } from "../loader/lane-consumer.js";
import { assess, freshnessOf, type FreshnessPolicy } from "../freshness/freshness.js";
import type { FreshnessRow } from "../freshness/freshness-repository.js";
import { Counter, Gauge, Histogram, MetricsRegistry } from "../metrics.js";

let offset = 0;
const message = (value: unknown) => ({
  offset: String(offset++),
  value: value === null ? null : Buffer.from(typeof value === "string" ? value : JSON.stringify(value)),
});

const transaction = (
  id: number,
  lsn: number,
  op: string,
  status: string,
  extra: Record<string, unknown> = {},
) => ({
  transaction_id: id,
  account_id: 42,
  related_account_id: 43,
  transaction_type: "TRANSFER",
  amount: "10.00",
  currency: "USD",
  status,
  created_at: "2026-03-31T12:00:00Z",
  completed_at: status === "PENDING" ? null : "2026-03-31T12:00:01Z",
  __op: op,
  __deleted: op === "d" ? "true" : "false",
  __source_ts_ms: 1_775_000_000_000 + lsn,
  __lsn: lsn,
  ...extra,
});

const account = (id: number, lsn: number, balance: string, updatedAt: string, op = "u") => ({
  account_id: id,
  customer_id: 7,
  account_type: "CHECKING",
  currency: "USD",
  balance,
  status: "ACTIVE",
  branch_id: 3,
  opened_at: "2024-01-01T00:00:00Z",
  closed_at: null,
  updated_at: updatedAt,
  __op: op,
  __deleted: "false",
  __source_ts_ms: 1_775_000_000_000 + lsn,
  __lsn: lsn,
});

function workOf<K extends BatchWork["kind"]>(work: BatchWork, kind: K): Extract<BatchWork, { kind: K }> {
  expect(work.kind).toBe(kind);
  return work as Extract<BatchWork, { kind: K }>;
}

describe("planning a batch", () => {
  it("keeps each row's newest change, and whether the batch created it", () => {
    const plan = planBatch(cdcTopics.transactions, [
      message(transaction(1, 100, "c", "PENDING")),
      message(transaction(2, 101, "c", "PENDING")),
      message(transaction(1, 105, "u", "SUCCESS")),
      // A change delivered again, and an older one arriving late: neither wins.
      message(transaction(1, 105, "u", "SUCCESS")),
      message(transaction(2, 99, "u", "FAILED", { failure_reason: "X" })),
      message(transaction(3, 110, "u", "SUCCESS")),
    ]);
    const facts = workOf(plan.work, "transactions").facts.rows();
    expect(facts.map((f) => [f.row.transactionId, f.row.status, f.lsn, f.created])).toEqual([
      [1n, "SUCCESS", 105n, true],
      [2n, "PENDING", 101n, true],
      [3n, "SUCCESS", 110n, false],
    ]);
    expect(plan).toMatchObject({ changes: 6, tombstones: 0, rejected: [], lastLsn: 110n });
    expect(plan.lastSourceTs).toEqual(new Date(1_775_000_000_110));
    expect(plan.sourceTimes).toHaveLength(6);
  });

  it("rejects what it cannot read and plans the rest", () => {
    offset = 100;
    const noAmount: Record<string, unknown> = transaction(5, 200, "c", "SUCCESS");
    delete noAmount.amount;
    const plan = planBatch(cdcTopics.transactions, [
      message("{not json"),
      message(noAmount),
      message(null),
      message(transaction(6, 201, "c", "SUCCESS")),
    ]);
    expect(plan.rejected).toEqual([
      { offset: "100", reason: "message value is not JSON" },
      { offset: "101", reason: "transactions.amount is missing" },
    ]);
    expect(plan).toMatchObject({ changes: 1, tombstones: 1 });
    expect(
      workOf(plan.work, "transactions")
        .facts.rows()
        .map((f) => f.row.transactionId),
    ).toEqual([6n]);
  });

  it("turns a delete that carries only the key into a key-only delete", () => {
    const plan = planBatch(cdcTopics.transactions, [
      message(transaction(7, 300, "c", "SUCCESS")),
      message({ transaction_id: 7, __op: "d", __deleted: "true", __lsn: 301 }),
    ]);
    const facts = workOf(plan.work, "transactions").facts;
    expect(facts.rows()).toEqual([]);
    expect(facts.keyDeletes()).toEqual([{ key: 7n, lsn: 301n }]);
  });

  it("keeps an account's newest state, and its newest balance of each day", () => {
    const plan = planBatch(cdcTopics.accounts, [
      message(account(42, 10, "5.00", "2026-03-30T23:00:00Z", "c")),
      message(account(42, 11, "6.00", "2026-03-30T23:30:00Z")),
      message(account(42, 12, "7.00", "2026-03-31T01:00:00Z")),
    ]);
    const work = workOf(plan.work, "accounts");
    expect(work.accounts.rows().map((a) => [a.row.balance, a.created])).toEqual([["7.00", true]]);
    expect(work.balances.rows().map((b) => [b.row.balanceDay, b.row.balance])).toEqual([
      ["2026-03-30", "6.00"],
      ["2026-03-31", "7.00"],
    ]);
  });

  it("reads heartbeats as the newest time the connector reached", () => {
    const plan = planBatch(heartbeatTopics[1]!, [
      message({ ts_ms: 1_000 }),
      message({ ts_ms: 3_000 }),
      message({ ts_ms: 2_000 }),
      message({ no: "time" }),
    ]);
    expect(workOf(plan.work, "heartbeat").newest).toEqual(new Date(3_000));
    expect(plan.lastSourceTs).toEqual(new Date(3_000));
    expect(plan.rejected).toHaveLength(1);
  });

  it("finds the commit time of a batch's first change before planning it", () => {
    expect(
      firstSourceTime([message(null), message("{"), message(transaction(8, 5, "c", "PENDING"))]),
    ).toEqual(new Date(1_775_000_000_005));
    expect(firstSourceTime([message(null)])).toBeUndefined();
  });

  it("refuses a topic it has no plan for", () => {
    expect(() => planBatch("cdc.other.public.things", [])).toThrow(/no plan for topic/);
  });
});

describe("failures in the data", () => {
  it.each([
    [{ code: "22003" }, true],
    [{ code: "23505" }, true],
    [{ message: "wrapped", cause: { code: "22P02" } }, true],
    [{ code: "40P01" }, false],
    [{ code: "08006" }, false],
    [new Error("no code"), false],
  ])("%p is a data error: %p", (error, expected) => {
    expect(isDataError(error)).toBe(expected);
  });
});

describe("freshness", () => {
  const now = new Date("2026-03-31T12:00:00Z");
  const ago = (s: number) => new Date(now.getTime() - s * 1000);
  const policy: FreshnessPolicy = { maxLagSeconds: 60, refreshFailuresUnhealthy: 3, startedAt: ago(3600) };
  const row = (over: Partial<FreshnessRow> = {}): FreshnessRow => ({
    now,
    as_of: ago(3),
    refreshed_at: ago(4),
    summary_as_of: ago(5),
    failures: 0n,
    failing_since: null,
    last_error: null,
    dirty_markers: 1n,
    dirty_since: ago(2),
    ...over,
  });

  it("is fresh within the bound", () => {
    const a = assess(row(), policy);
    expect(a).toMatchObject({ healthy: true, loaderLagSeconds: 3, summaryLagSeconds: 5 });
    const tables = freshnessOf(row(), a, "tables");
    expect(tables).toMatchObject({ stale: false, staleReason: "" });
    expect(tables.asOf?.seconds).toBe(BigInt(ago(3).getTime() / 1000));
    expect(tables.refreshedAt).toBeUndefined();
    const summary = freshnessOf(row(), a, "summary");
    expect(summary.asOf?.seconds).toBe(BigInt(ago(5).getTime() / 1000));
    expect(summary.refreshedAt?.seconds).toBe(BigInt(ago(4).getTime() / 1000));
  });

  it("is stale and unhealthy when the loader lags beyond the bound", () => {
    const late = row({ as_of: ago(90), summary_as_of: ago(95) });
    const a = assess(late, policy);
    expect(a.healthy).toBe(false);
    expect(a.unhealthyReasons).toEqual([expect.stringMatching(/loader lags its sources by 90 s/)]);
    expect(freshnessOf(late, a, "tables")).toMatchObject({ stale: true });
    expect(freshnessOf(late, a, "summary").staleReason).toMatch(/loader lags/);
  });

  it("marks the summary stale at the first failed refresh, unhealthy after repeated failures", () => {
    const once = row({ failures: 1n, failing_since: ago(10), last_error: "lock timeout" });
    const a = assess(once, policy);
    expect(a.healthy).toBe(true);
    expect(freshnessOf(once, a, "summary")).toMatchObject({
      stale: true,
      staleReason: expect.stringMatching(/last refresh failed since .*: lock timeout/),
    });
    expect(freshnessOf(once, a, "tables").stale).toBe(false);
    const thrice = row({ failures: 3n, failing_since: ago(30), last_error: "lock timeout" });
    expect(assess(thrice, policy)).toMatchObject({ healthy: false });
  });

  it("is unhealthy when the summary falls behind on its own", () => {
    const a = assess(row({ summary_as_of: ago(120) }), policy);
    expect(a).toMatchObject({ healthy: false, unhealthyReasons: [expect.stringMatching(/summary lags/)] });
  });

  it("does not count a loader that has not reported yet as late while the service starts", () => {
    const starting = row({ as_of: null, summary_as_of: null, refreshed_at: null });
    expect(assess(starting, { ...policy, startedAt: ago(10) }).healthy).toBe(true);
    expect(assess(starting, policy).unhealthyReasons).toEqual([
      "the loader has not reported how far it has applied its sources",
    ]);
  });
});

describe("metrics", () => {
  it("renders counters, gauges and histograms in the Prometheus text format", async () => {
    const registry = new MetricsRegistry();
    const counter = registry.add(new Counter("c_total", "A counter."));
    const gauge = registry.add(new Gauge("g", "A gauge."));
    const histogram = registry.add(new Histogram("h_seconds", "A histogram.", [0.5, 1]));
    registry.onCollect(async () => gauge.set([{ labels: { topic: 'a"b' }, value: 2 }, { value: NaN }]));
    counter.inc({ topic: "t" }, 3);
    counter.inc({ topic: "t" });
    histogram.observe(0.2);
    histogram.observe(0.7);
    histogram.observe(5);
    expect((await registry.render()).split("\n")).toEqual([
      "# HELP c_total A counter.",
      "# TYPE c_total counter",
      'c_total{topic="t"} 4',
      "# HELP g A gauge.",
      "# TYPE g gauge",
      'g{topic="a\\"b"} 2',
      "g NaN",
      "# HELP h_seconds A histogram.",
      "# TYPE h_seconds histogram",
      'h_seconds_bucket{le="0.5"} 1',
      'h_seconds_bucket{le="1"} 2',
      'h_seconds_bucket{le="+Inf"} 3',
      "h_seconds_sum 5.9",
      "h_seconds_count 3",
      "",
    ]);
  });
});
