// One lane of the loader: a kafkajs consumer group of its own over some of the CDC topics, so that
// a lane busy with a backlog (or a retry) never holds up another lane's fetches (kafkajs fetches a
// consumer's next batches only after all batches of the last fetch are handled).
//
// Each fetched batch of a partition is applied in one database transaction (eachBatch): the
// partition's row in cdc_offsets is locked, messages at or below its last_offset are skipped
// (applied before, e.g. redelivered after a crash), the rest are planned and applied, and the
// offset advances in the same transaction. So each event takes effect exactly once; Kafka's
// committed offset is only where fetching resumes, and on every assignment the consumer seeks to
// the offset the warehouse recorded. Malformed events go to `<topic>.dlq`; a batch that fails for
// a reason in the data (SQLSTATE classes 22, 23) is applied again event by event, and an event
// that still fails is dead-lettered too, so offsets always advance. Other failures (the database
// or Kafka unreachable) are retried with backoff; they stop the whole lane, visibly, as lag.
//
// Every few seconds the lane reads its partitions' end offsets and records, per partition, how
// fresh it is (cdc_offsets.applied_as_of, see migration 0008).
import { setTimeout as sleep } from "node:timers/promises";
import {
  Kafka,
  logLevel,
  Partitioners,
  type Admin,
  type Consumer,
  type EachBatchPayload,
  type Producer,
} from "kafkajs";
import type { DatabasePool, DatabaseTransactionConnection } from "../../runtime/database.js";
import type { Logger } from "../../runtime/logger.js";
import { applyPlan } from "./change-appliers.js";
import { firstSourceTime, planBatch, type PartitionMessage, type RejectedMessage } from "./change-plan.js";
import * as warehouse from "./warehouse-repository.js";

export interface LaneOptions {
  /** The lane's name, e.g. "facts"; its consumer group is `<consumer>-<name>`. */
  name: string;
  topics: string[];
  /** Heartbeat topics: a partition is as fresh as its newest heartbeat, not as its last check. */
  heartbeats?: boolean;
  brokers: string[];
  db: DatabasePool;
  logger: Logger;
  /** The loader's name in cdc_offsets. */
  consumer: string;
  /** Partitions applied at once. */
  concurrency: number;
  /** The most messages one transaction applies; a larger fetched batch is applied in parts. */
  maxBatchMessages: number;
  /** How often the lane records its partitions' freshness. */
  checkIntervalMs: number;
  /** A fetch returns once this many bytes are there, or after fetchMaxWaitMs. */
  fetchMinBytes: number;
  fetchMaxWaitMs: number;
  /** Called after each committed batch. */
  onApplied(report: BatchReport): void;
}

/** What one committed batch did. */
export interface BatchReport {
  topic: string;
  partition: number;
  /** Change events applied (read and not rejected), tombstones, and events dead-lettered. */
  changes: number;
  tombstones: number;
  rejected: number;
  /** Messages skipped because the warehouse had applied them before. */
  duplicates: number;
  /** Warehouse rows written. */
  rows: number;
  /** Days of the daily summary marked for refresh. */
  summaryDays: number;
  committedAt: Date;
  /** Source commit times of the changes applied. */
  sourceTimes: Date[];
}

export interface Lane {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** What the lane knows of a partition it owns. */
interface PartitionState {
  topic: string;
  partition: number;
  /** Last applied offset, -1 when none. */
  applied: bigint;
  /** Source commit time of the newest change applied. */
  lastSourceTs?: Date;
  /** Source commit time of the first change of the batch being applied. */
  inFlightSince?: Date;
  /** The last time nothing was left to apply. */
  caughtUpAt?: Date;
}

/** The SQLSTATE of a database error, looked for along the error's causes. */
function sqlState(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
}

/** A failure caused by the data (invalid value, constraint): retrying the same rows cannot help. */
export function isDataError(error: unknown): boolean {
  const state = sqlState(error);
  return state !== undefined && (state.startsWith("22") || state.startsWith("23"));
}

const key = (topic: string, partition: number) => `${topic}/${partition}`;

export function createLane(options: LaneOptions): Lane {
  const { db, logger } = options;
  const log = logger.child({ lane: options.name });
  const kafka = new Kafka({
    clientId: `${options.consumer}-${options.name}`,
    brokers: options.brokers,
    logLevel: logLevel.WARN,
    // Back within seconds of a broker's return, rather than kafkajs's 30 s between attempts.
    retry: { retries: 8, maxRetryTime: 5_000 },
  });
  const groupId = `${options.consumer}-${options.name}`;
  const states = new Map<string, PartitionState>();
  let consumer: Consumer | undefined;
  let producer: Producer | undefined;
  let admin: Admin | undefined;
  let stopped = false;
  let checkTimer: NodeJS.Timeout | undefined;
  let checking: Promise<void> | undefined;
  let restartTimer: NodeJS.Timeout | undefined;

  const stateOf = (topic: string, partition: number) => {
    let state = states.get(key(topic, partition));
    if (!state) {
      state = { topic, partition, applied: -1n };
      states.set(key(topic, partition), state);
    }
    return state;
  };

  /** On a new assignment: the partitions owned now, from where the warehouse left them. */
  const assigned = async (assignment: Record<string, number[]>) => {
    const owned = Object.entries(assignment).flatMap(([topic, partitions]) =>
      partitions.map((partition) => ({ topic, partition })),
    );
    const positions = await warehouse.findPositions(db, options.consumer, options.topics);
    const previous = new Map(states);
    states.clear();
    for (const { topic, partition } of owned) {
      const row = positions.get(key(topic, partition));
      const state: PartitionState = previous.get(key(topic, partition)) ?? { topic, partition, applied: -1n };
      if (row && row.last_offset > state.applied) {
        state.applied = row.last_offset;
        state.lastSourceTs = row.last_source_ts ?? state.lastSourceTs;
      }
      states.set(key(topic, partition), state);
      if (state.applied >= 0n) {
        consumer?.seek({ topic, partition, offset: (state.applied + 1n).toString() });
      }
    }
    log.info({ partitions: owned.map((p) => key(p.topic, p.partition)) }, "loader lane assigned");
  };

  const sendToDeadLetter = async (
    topic: string,
    partition: number,
    rejected: readonly RejectedMessage[],
    messages: ReadonlyMap<string, EachBatchPayload["batch"]["messages"][number]>,
  ) => {
    if (rejected.length === 0) return;
    for (const r of rejected) {
      log.error(
        { topic, partition, offset: r.offset, reason: r.reason },
        "change event cannot be applied; not retryable, sent to the dead-letter topic",
      );
    }
    await producer!.send({
      topic: `${topic}.dlq`,
      messages: rejected.map((r) => {
        const message = messages.get(r.offset);
        return {
          key: message?.key ?? null,
          value: message?.value ?? null,
          headers: { ...message?.headers, "dlq-reason": r.reason, "dlq-offset": r.offset },
        };
      }),
    });
  };

  /** Applies messages of one partition in one transaction; see the file's comment. */
  const applyMessages = async (
    tx: DatabaseTransactionConnection,
    topic: string,
    partition: number,
    messages: EachBatchPayload["batch"]["messages"],
    forced: readonly RejectedMessage[] = [],
  ): Promise<BatchReport> => {
    const position = { consumer: options.consumer, topic, partition };
    const stored = await warehouse.lockPosition(tx, position);
    const fresh = messages.filter((m) => BigInt(m.offset) > stored.last_offset);
    const last = BigInt(messages.at(-1)!.offset);
    const report: BatchReport = {
      topic,
      partition,
      changes: 0,
      tombstones: 0,
      rejected: 0,
      duplicates: messages.length - fresh.length,
      rows: 0,
      summaryDays: 0,
      committedAt: new Date(),
      sourceTimes: [],
    };
    if (fresh.length > 0) {
      const forcedOffsets = new Set(forced.map((r) => r.offset));
      const plan = planBatch(
        topic,
        fresh
          .filter((m) => !forcedOffsets.has(m.offset))
          .map((m): PartitionMessage => ({ offset: m.offset, value: m.value })),
      );
      const rejected = [...forced.filter((r) => BigInt(r.offset) > stored.last_offset), ...plan.rejected];
      await sendToDeadLetter(topic, partition, rejected, new Map(fresh.map((m) => [m.offset, m])));
      const outcome = await applyPlan(tx, plan);
      await warehouse.markSummaryDays(tx, key(topic, partition), outcome.summaryDays);
      await warehouse.advancePosition(tx, {
        ...position,
        offset: last,
        messages: fresh.length,
        lsn: plan.lastLsn,
        sourceTs: plan.lastSourceTs,
      });
      Object.assign(report, {
        changes: plan.changes,
        tombstones: plan.tombstones,
        rejected: rejected.length,
        rows: outcome.rows,
        summaryDays: outcome.summaryDays.size,
        sourceTimes: plan.sourceTimes,
      });
    }
    report.committedAt = new Date();
    return report;
  };

  /**
   * Applies the messages, retrying transient failures with backoff until the lane stops; a failure
   * in the data leads to event-by-event application. Undefined when the lane stopped first.
   */
  const applyWithRetries = async (
    payload: EachBatchPayload,
    messages: EachBatchPayload["batch"]["messages"],
  ): Promise<BatchReport | undefined> => {
    const { topic, partition } = payload.batch;
    for (let attempt = 1; ; attempt++) {
      try {
        return await db.transaction((tx) => applyMessages(tx, topic, partition, messages));
      } catch (error) {
        if (stopped || !payload.isRunning() || payload.isStale()) return undefined;
        if (isDataError(error) && attempt >= 2) return applyOneByOne(payload, messages);
        log.warn(
          {
            topic,
            partition,
            offsets: `${messages[0]!.offset}-${messages.at(-1)!.offset}`,
            attempt,
            err: error,
          },
          "applying a batch failed; retryable, will retry",
        );
        await sleep(Math.min(200 * 2 ** attempt, 5_000));
        try {
          await payload.heartbeat();
        } catch {
          return undefined; // the group is rebalancing: the batch comes again to its next owner
        }
      }
    }
  };

  /** Applies the messages one transaction each; one that fails in its data is dead-lettered. */
  const applyOneByOne = async (
    payload: EachBatchPayload,
    messages: EachBatchPayload["batch"]["messages"],
  ): Promise<BatchReport | undefined> => {
    const { topic, partition } = payload.batch;
    const total: BatchReport = {
      topic,
      partition,
      changes: 0,
      tombstones: 0,
      rejected: 0,
      duplicates: 0,
      rows: 0,
      summaryDays: 0,
      committedAt: new Date(),
      sourceTimes: [],
    };
    for (const message of messages) {
      let report: BatchReport;
      try {
        report = await db.transaction((tx) => applyMessages(tx, topic, partition, [message]));
      } catch (error) {
        if (!isDataError(error)) {
          if (stopped || !payload.isRunning() || payload.isStale()) return undefined;
          throw error;
        }
        const reason = `the warehouse refused the change: ${(error as Error).message}`;
        report = await db.transaction((tx) =>
          applyMessages(tx, topic, partition, [message], [{ offset: message.offset, reason }]),
        );
      }
      for (const field of [
        "changes",
        "tombstones",
        "rejected",
        "duplicates",
        "rows",
        "summaryDays",
      ] as const) {
        total[field] += report[field];
      }
      total.sourceTimes.push(...report.sourceTimes);
      total.committedAt = report.committedAt;
    }
    return total;
  };

  const eachBatch = async (payload: EachBatchPayload) => {
    const { batch } = payload;
    const fetchedAt = new Date();
    const state = stateOf(batch.topic, batch.partition);
    const highWatermark = BigInt(batch.highWatermark);
    for (let i = 0; i < batch.messages.length; i += options.maxBatchMessages) {
      if (stopped || !payload.isRunning() || payload.isStale()) return;
      const messages = batch.messages.slice(i, i + options.maxBatchMessages);
      state.inFlightSince ??= firstSourceTime(messages.map((m) => ({ offset: m.offset, value: m.value })));
      let report: BatchReport | undefined;
      try {
        report = await applyWithRetries(payload, messages);
      } catch (error) {
        log.error({ topic: batch.topic, partition: batch.partition, err: error }, "applying a batch failed");
        report = undefined;
      }
      if (!report) return;
      const last = BigInt(messages.at(-1)!.offset);
      if (last > state.applied) state.applied = last;
      const newest = report.sourceTimes.reduce<Date | undefined>((a, b) => (!a || b > a ? b : a), undefined);
      if (newest && (!state.lastSourceTs || newest > state.lastSourceTs)) state.lastSourceTs = newest;
      state.inFlightSince = undefined;
      if (state.applied + 1n >= highWatermark) state.caughtUpAt = fetchedAt;
      payload.resolveOffset(messages.at(-1)!.offset);
      options.onApplied(report);
      try {
        await payload.commitOffsetsIfNecessary();
        await payload.heartbeat();
      } catch (error) {
        log.debug({ err: error }, "committing the Kafka offset failed; the warehouse holds it");
      }
    }
  };

  /** Records how fresh each owned partition is (see the file's comment). */
  const check = async () => {
    if (states.size === 0 || !admin) return;
    const topics = [...new Set([...states.values()].map((s) => s.topic))];
    const highs = new Map<string, bigint>();
    for (const topic of topics) {
      for (const p of await admin.fetchTopicOffsets(topic))
        highs.set(key(topic, p.partition), BigInt(p.high));
    }
    const now = new Date();
    const rows: warehouse.PartitionFreshness[] = [];
    for (const state of states.values()) {
      const high = highs.get(key(state.topic, state.partition));
      if (high === undefined) continue;
      const caughtUp = state.applied + 1n >= high && state.inFlightSince === undefined;
      if (caughtUp) state.caughtUpAt = now;
      const oldest = caughtUp ? null : (state.inFlightSince ?? state.lastSourceTs ?? null);
      const asOf = options.heartbeats
        ? (state.lastSourceTs ?? (caughtUp ? now : (state.caughtUpAt ?? null)))
        : caughtUp
          ? now
          : (oldest ?? state.caughtUpAt ?? null);
      rows.push({
        topic: state.topic,
        partition: state.partition,
        highWatermark: high,
        checkedAt: now,
        oldestUnappliedTs: oldest,
        appliedAsOf: asOf,
      });
    }
    await warehouse.recordFreshness(db, options.consumer, rows);
  };

  const scheduleCheck = () => {
    checkTimer = setInterval(() => {
      if (checking) return;
      checking = check()
        .catch((err: unknown) => log.debug({ err }, "checking the lane's freshness failed; will retry"))
        .finally(() => (checking = undefined));
    }, options.checkIntervalMs);
    checkTimer.unref();
  };

  const run = async () => {
    const next = kafka.consumer({
      groupId,
      retry: { retries: 8, maxRetryTime: 5_000 },
      // The broker answers a fetch once it holds this much, or after the wait: under load, fewer and
      // larger batches (fewer commits per change) for at most the wait's delay.
      minBytes: options.fetchMinBytes,
      maxWaitTimeInMs: options.fetchMaxWaitMs,
    });
    consumer = next;
    next.on(next.events.GROUP_JOIN, (event) => {
      if (consumer !== next) return;
      return assigned(event.payload.memberAssignment).catch((err: unknown) =>
        log.warn({ err }, "reading the lane's positions failed; resuming from Kafka's offsets"),
      );
    });
    next.on(next.events.CRASH, (event) => {
      const { error, restart } = event.payload;
      log.error({ err: error, restart }, "loader lane consumer crashed");
      if (!restart && !stopped) {
        restartTimer = setTimeout(() => {
          if (stopped) return;
          run().catch((err: unknown) => log.error({ err }, "restarting the loader lane failed"));
        }, 5_000);
        restartTimer.unref();
      }
    });
    await next.connect();
    for (const topic of options.topics) await next.subscribe({ topic, fromBeginning: true });
    await next.run({
      partitionsConsumedConcurrently: options.concurrency,
      eachBatchAutoResolve: false,
      eachBatch,
    });
  };

  return {
    async start() {
      producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      admin = kafka.admin();
      await Promise.all([producer.connect(), admin.connect()]);
      await run();
      scheduleCheck();
    },
    async stop() {
      stopped = true;
      clearInterval(checkTimer);
      clearTimeout(restartTimer);
      await checking;
      await consumer?.disconnect();
      await Promise.all([producer?.disconnect(), admin?.disconnect()]);
    },
  };
}
