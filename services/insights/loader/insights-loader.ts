// The Insights loader: consumes the Debezium change events of the OLTP tables and applies them to
// the star schema, one database transaction per fetched batch of a partition (lane-consumer.ts).
// Four lanes, each its own consumer group, so none waits behind another's backlog:
//   dimensions  branches, customers, accounts
//   facts       transactions, payments (a fact never waits for its account: see change-appliers.ts)
//   loans       loan applications, loan accounts, loan repayments
//   heartbeats  the connectors' heartbeat topics, for the warehouse's as-of time
// The daily summary is refreshed on its own cadence (summary-refresher.ts), and the events applied
// between two refreshes are recorded as a LOAD run in etl_runs.
import type { DatabasePool } from "../../runtime/database.js";
import { ensureTopics } from "../../runtime/kafka-topics.js";
import type { Logger } from "../../runtime/logger.js";
import { Counter, Histogram, type MetricsRegistry } from "../metrics.js";
import { cdcTopics, heartbeatTopics, loaderTopics } from "./change-plan.js";
import { recordLoadRun, type LoadRun } from "./etl-repository.js";
import { createLane, type BatchReport, type Lane } from "./lane-consumer.js";
import { createSummaryRefresher, type SummaryRefresher } from "./summary-refresher.js";
import { forgetOtherTopics } from "./warehouse-repository.js";
import { scheduleWarehouseJobs } from "./warehouse-jobs.js";

/** The loader's name in cdc_offsets, and the prefix of its lanes' consumer groups. */
export const loaderName = "insights-loader";

/** The lanes: their topics and how many of their partitions are applied at once. */
export const loaderLanes = [
  {
    name: "dimensions",
    topics: [cdcTopics.branches, cdcTopics.customers, cdcTopics.accounts],
    concurrency: 3,
  },
  { name: "facts", topics: [cdcTopics.transactions, cdcTopics.payments], concurrency: 3 },
  {
    name: "loans",
    topics: [cdcTopics.loanApplications, cdcTopics.loanAccounts, cdcTopics.loanPayments],
    concurrency: 2,
  },
  { name: "heartbeats", topics: heartbeatTopics, concurrency: 2, heartbeats: true },
] as const;

export interface InsightsLoaderOptions {
  db: DatabasePool;
  logger: Logger;
  brokers: string[];
  /** Seconds between refreshes of the daily summary. */
  refreshIntervalSeconds: number;
  /** How often each lane records its partitions' freshness. */
  freshnessCheckMs?: number;
  /** The most messages one transaction applies. */
  maxBatchMessages?: number;
  /** A lane's fetch returns once this many bytes are there (default 64 KiB) or after fetchMaxWaitMs (200). */
  fetchMinBytes?: number;
  fetchMaxWaitMs?: number;
  /** Where the loader's counters go. */
  metrics: MetricsRegistry;
}

/** The loader as a background worker of the Insights service. */
export interface InsightsLoader {
  /** Schedules the warehouse jobs, starts the refresh cadence and joins the consumer groups. */
  start(): Promise<void>;
  /** Stops consuming, waits for a running refresh and records the last load run. */
  stop(): Promise<void>;
  /** The summary's refresher (a refresh on demand, e.g. for operators and tests). */
  readonly refresher: SummaryRefresher;
}

function emptyLoad(): LoadRun {
  const now = new Date();
  return { startedAt: now, finishedAt: now, applied: 0, skipped: 0, rejected: 0, topics: {} };
}

/** Creates the loader; it does nothing until started. */
export function createInsightsLoader(options: InsightsLoaderOptions): InsightsLoader {
  const { db, logger, metrics } = options;
  const events = metrics.add(
    new Counter("insights_loader_events_total", "Change events the loader handled, by topic and outcome."),
  );
  const applyLag = metrics.add(
    new Histogram(
      "insights_loader_apply_lag_seconds",
      "Seconds from a change's commit at its source to the commit of the warehouse transaction that applied it.",
      [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900],
    ),
  );

  let load = emptyLoad();
  const recordLoad = async () => {
    const done = load;
    if (done.applied + done.skipped + done.rejected === 0) return;
    load = emptyLoad();
    await recordLoadRun(db, done).catch((err: unknown) =>
      logger.warn({ err, applied: done.applied }, "recording the load run failed; its counts are lost"),
    );
  };
  const refresher = createSummaryRefresher({
    db,
    logger,
    intervalMs: options.refreshIntervalSeconds * 1000,
    maxBackoffMs: Math.max(options.refreshIntervalSeconds * 8_000, 30_000),
    beforeRefresh: recordLoad,
  });

  const onApplied = (report: BatchReport) => {
    if (heartbeatTopics.includes(report.topic)) return;
    const skipped =
      report.changes + report.tombstones + report.duplicates - Math.min(report.rows, report.changes);
    if (load.applied + load.skipped + load.rejected === 0) load.startedAt = new Date();
    load.finishedAt = report.committedAt;
    const perTopic = (load.topics[report.topic] ??= { applied: 0, skipped: 0, rejected: 0 });
    const applied = Math.min(report.rows, report.changes);
    for (const target of [load, perTopic]) {
      target.applied += applied;
      target.skipped += skipped;
      target.rejected += report.rejected;
    }
    events.inc({ topic: report.topic, outcome: "applied" }, report.changes);
    if (report.rejected > 0) events.inc({ topic: report.topic, outcome: "dead_lettered" }, report.rejected);
    if (report.duplicates > 0) events.inc({ topic: report.topic, outcome: "duplicate" }, report.duplicates);
    for (const at of report.sourceTimes) {
      applyLag.observe(Math.max(0, (report.committedAt.getTime() - at.getTime()) / 1000));
    }
  };

  const lanes: Lane[] = loaderLanes.map((lane) =>
    createLane({
      name: lane.name,
      topics: [...lane.topics],
      heartbeats: "heartbeats" in lane,
      brokers: options.brokers,
      db,
      logger,
      consumer: loaderName,
      concurrency: lane.concurrency,
      maxBatchMessages: options.maxBatchMessages ?? 1000,
      checkIntervalMs: options.freshnessCheckMs ?? 2000,
      fetchMinBytes: "heartbeats" in lane ? 1 : (options.fetchMinBytes ?? 65_536),
      fetchMaxWaitMs: "heartbeats" in lane ? 1_000 : (options.fetchMaxWaitMs ?? 200),
      onApplied,
    }),
  );

  let running: { stop(): Promise<void> } | undefined;
  return {
    refresher,
    async start() {
      if (running) return;
      // The connectors may not have published yet (a heartbeat topic appears with its first
      // heartbeat); dead-letter topics too, so that the first poison message does not wait.
      const dataTopics = loaderTopics.filter((topic) => !heartbeatTopics.includes(topic));
      await ensureTopics(options.brokers, [...loaderTopics, ...dataTopics.map((t) => `${t}.dlq`)], logger);
      await forgetOtherTopics(db, loaderName, loaderTopics);
      const jobs = await scheduleWarehouseJobs({ db, logger });
      refresher.start();
      const started: Lane[] = [];
      try {
        for (const lane of lanes) {
          await lane.start();
          started.push(lane);
        }
      } catch (error) {
        await Promise.all(started.map((lane) => lane.stop()));
        jobs.stop();
        await refresher.stop();
        throw error;
      }
      logger.info({ lanes: loaderLanes.map((l) => l.name) }, "insights loader started");
      running = {
        async stop() {
          await Promise.all(lanes.map((lane) => lane.stop()));
          jobs.stop();
          await refresher.stop();
          await recordLoad();
        },
      };
    },
    async stop() {
      await running?.stop();
      running = undefined;
    },
  };
}
