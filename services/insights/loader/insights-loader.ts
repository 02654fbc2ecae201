// The Insights loader: consumes the Debezium change events of the OLTP tables and applies them to
// the star schema, each event in one database transaction with its processed-event record (the
// runtime's idempotent consumer) and its offset bookkeeping. After changes commit it asks for a
// debounced refresh of the daily summary, and it records each batch between refreshes in etl_runs.
import type { DatabasePool, DatabaseTransactionConnection } from "../../runtime/database.js";
import {
  NonRetryableError,
  startIdempotentConsumer,
  type ConsumedEvent,
  type IdempotentConsumer,
} from "../../runtime/kafka-consumer.js";
import { ensureTopics } from "../../runtime/kafka-topics.js";
import type { Logger } from "../../runtime/logger.js";
import { readCdcChange } from "./cdc-record.js";
import { AccountNotLoadedError, cdcTopics, changeAppliers } from "./change-appliers.js";
import { recordLoadRun, type LoadRun } from "./etl-repository.js";
import { createSummaryRefresher } from "./summary-refresher.js";
import { recordOffset } from "./warehouse-repository.js";
import { scheduleWarehouseJobs } from "./warehouse-jobs.js";

/** The loader's consumer group, and the consumer name of its processed-event records. */
export const loaderName = "insights-loader";

export interface InsightsLoaderOptions {
  db: DatabasePool;
  logger: Logger;
  brokers: string[];
  /** Seconds between scheduled refreshes of the daily summary. */
  refreshIntervalSeconds: number;
  /** The least time between two refreshes the loader triggers. */
  refreshDebounceMs: number;
  /** Attempts a transaction whose account is not loaded gets before it loads to Unassigned. */
  missingAccountAttempts: number;
}

/** The loader as a background worker of the Insights service. */
export interface InsightsLoader {
  /** Schedules the warehouse jobs and joins the consumer group. */
  start(): Promise<void>;
  /** Stops consuming, waits for a running refresh and records the last batch. */
  stop(): Promise<void>;
}

/** Creates the loader; it does nothing until started. */
export function createInsightsLoader(options: InsightsLoaderOptions): InsightsLoader {
  let stop: (() => Promise<void>) | undefined;
  return {
    async start() {
      stop ??= await startLoading(options);
    },
    async stop() {
      await stop?.();
    },
  };
}

/** What one committed event did. */
interface EventOutcome {
  topic: string;
  changed: boolean;
}

function emptyBatch(): LoadRun {
  const now = new Date();
  return { startedAt: now, finishedAt: now, applied: 0, skipped: 0, rejected: 0, topics: {} };
}

/**
 * The pool the consumer writes through, calling onCommit with each transaction after it has
 * committed. The runtime consumer owns the transaction; counting outcomes and triggering refreshes
 * only after the commit keeps rolled-back attempts out of the counts and makes the refresh see the
 * change.
 */
function observeCommits(
  pool: DatabasePool,
  onCommit: (tx: DatabaseTransactionConnection) => void,
): DatabasePool {
  const transaction = (async (
    handler: (tx: DatabaseTransactionConnection) => Promise<unknown>,
    limit?: number,
  ) => {
    let current: DatabaseTransactionConnection | undefined;
    const result = await pool.transaction((tx) => {
      current = tx;
      return handler(tx);
    }, limit);
    if (current) onCommit(current);
    return result;
  }) as DatabasePool["transaction"];
  return new Proxy(pool, {
    get: (target, property, receiver) =>
      property === "transaction" ? transaction : Reflect.get(target, property, receiver),
  });
}

/** Schedules the warehouse jobs and joins the consumer group; resolves to the way to stop. */
async function startLoading(options: InsightsLoaderOptions): Promise<() => Promise<void>> {
  const { db, logger } = options;
  let batch = emptyBatch();
  const count = (topic: string, outcome: "applied" | "skipped" | "rejected") => {
    if (batch.applied + batch.skipped + batch.rejected === 0) batch.startedAt = new Date();
    batch.finishedAt = new Date();
    batch[outcome] += 1;
    const perTopic = (batch.topics[topic] ??= { applied: 0, skipped: 0, rejected: 0 });
    perTopic[outcome] += 1;
  };
  const recordBatch = async () => {
    const done = batch;
    if (done.applied + done.skipped + done.rejected === 0) return;
    batch = emptyBatch();
    await recordLoadRun(db, done).catch((err: unknown) =>
      logger.warn({ err, applied: done.applied }, "recording the load batch failed; its counts are lost"),
    );
  };

  const refresher = createSummaryRefresher({
    db,
    logger,
    minGapMs: options.refreshDebounceMs,
    beforeRefresh: recordBatch,
  });
  const jobs = await scheduleWarehouseJobs({
    db,
    logger,
    refreshIntervalSeconds: options.refreshIntervalSeconds,
    refresher,
  });

  const outcomes = new WeakMap<DatabaseTransactionConnection, EventOutcome>();
  const onCommit = (tx: DatabaseTransactionConnection) => {
    const outcome = outcomes.get(tx);
    if (!outcome) return;
    count(outcome.topic, outcome.changed ? "applied" : "skipped");
    if (outcome.changed) refresher.request();
  };

  // Attempts per event of transactions waiting for their account; bounded so that events which
  // never come back cannot grow it without end.
  const accountWaits = new Map<string, number>();
  const waitForAccount = (eventId: string) => {
    const attempt = (accountWaits.get(eventId) ?? 0) + 1;
    if (attempt >= options.missingAccountAttempts) {
      accountWaits.delete(eventId);
      return false;
    }
    if (accountWaits.size > 10_000) accountWaits.clear();
    accountWaits.set(eventId, attempt);
    return true;
  };

  const handle = async (event: ConsumedEvent, tx: DatabaseTransactionConnection) => {
    const position = {
      consumer: loaderName,
      topic: event.topic,
      partition: event.partition,
      offset: event.message.offset,
    };
    const applier = changeAppliers[event.topic];
    if (!applier) throw new NonRetryableError(`the loader has no applier for topic ${event.topic}`);
    if (event.value === undefined) {
      // The tombstone Debezium sends after a delete: the delete itself came just before it.
      await recordOffset(tx, position);
      outcomes.set(tx, { topic: event.topic, changed: false });
      return;
    }
    try {
      const change = readCdcChange(applier.table, event.value);
      const changed = await applier.apply(tx, change, {
        waitForAccount: () => waitForAccount(event.eventId),
      });
      await recordOffset(tx, { ...position, lsn: change.lsn, sourceTs: change.sourceTs });
      outcomes.set(tx, { topic: event.topic, changed });
    } catch (error) {
      if (error instanceof NonRetryableError) {
        count(event.topic, "rejected");
        refresher.request();
      } else if (error instanceof AccountNotLoadedError) {
        logger.info(
          { topic: event.topic, offset: event.message.offset, reason: error.message },
          "transaction waits for its account; retryable, will retry",
        );
      }
      throw error;
    }
  };

  const topics = Object.values(cdcTopics);
  let consumer: IdempotentConsumer;
  try {
    // The connectors may not have published yet (the loan tables may not even be captured yet).
    // Dead-letter topics too, so that the first poison message does not wait for auto-creation.
    await ensureTopics(options.brokers, [...topics, ...topics.map((topic) => `${topic}.dlq`)], logger);
    consumer = await startIdempotentConsumer({
      name: loaderName,
      brokers: options.brokers,
      topics,
      db: observeCommits(db, onCommit),
      logger,
      handle,
      // Room for the account waits, then the runtime's usual retries of other failures.
      maxAttempts: options.missingAccountAttempts + 4,
    });
  } catch (error) {
    jobs.stop();
    await refresher.stop();
    throw error;
  }
  logger.info({ topics, refresh: jobs.refreshRunsIn }, "insights loader started");

  return async () => {
    await consumer.stop();
    jobs.stop();
    await refresher.stop();
    await recordBatch();
  };
}
