// The recovery worker: finishes PENDING transactions that a crash, a timeout or an unreachable
// Account service left behind. It asks the Account service whether their postings were applied
// (GetPostingStatus) and records SUCCESS if so; otherwise it sends ApplyPostings again with the
// same transaction id (idempotent there) and records what comes back. Completion is conditional
// on PENDING under the row lock, so each transaction gets exactly one final status and one
// `transaction.completed` event however many settlers race.
import type { Logger } from "../../runtime/logger.js";
import type { DatabasePool } from "../../runtime/database.js";
import { recoveryActor, type TransactionSaga } from "../saga/transaction-saga.js";
import { findStalePending } from "../transactions/transaction-repository.js";

/** What the worker needs and how often it runs. */
export interface RecoveryWorkerOptions {
  db: DatabasePool;
  saga: TransactionSaga;
  logger: Logger;
  /** Pause between two scans. */
  intervalMs: number;
  /** Only transactions whose creation and last attempt are at least this old are touched. */
  minAgeSeconds: number;
  /** Most transactions settled per scan. */
  batchSize: number;
}

/** What one scan did. */
export interface RecoverySummary {
  examined: number;
  succeeded: number;
  failed: number;
  /** Still PENDING: the outcome is unknown (retryable) or needs an operator (non-retryable). */
  stillPending: number;
  /** Another settler (a request or another instance) held the transaction. */
  skipped: number;
}

/** The worker's controls. */
export interface RecoveryWorker {
  /** Scans every intervalMs until stopped. */
  start(): void;
  /** Stops scanning and waits for a scan in progress. */
  stop(): Promise<void>;
  /** One scan now. */
  runOnce(): Promise<RecoverySummary>;
}

/** Creates the worker; it does nothing until started or run. */
export function createRecoveryWorker(options: RecoveryWorkerOptions): RecoveryWorker {
  const { db, saga, logger } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;

  const runOnce = async (): Promise<RecoverySummary> => {
    const summary: RecoverySummary = { examined: 0, succeeded: 0, failed: 0, stillPending: 0, skipped: 0 };
    const ids = await findStalePending(db, options.minAgeSeconds, options.batchSize);
    for (const id of ids) {
      summary.examined++;
      const fields = { transactionId: String(id) };
      try {
        const settled = await saga.settle(id, {
          actor: recoveryActor,
          skipLocked: true,
          checkStatusFirst: true,
        });
        if (!settled) {
          summary.skipped++;
        } else if (settled.row.status === "PENDING") {
          // The saga has logged whether this is retryable (next scan) or needs an operator.
          summary.stillPending++;
        } else if (settled.row.status === "FAILED") {
          summary.failed++;
          logger.info(
            { ...fields, reason: settled.row.failure_reason },
            "recovered a PENDING transaction: refused by the account service (non-retryable), recorded FAILED",
          );
        } else {
          summary.succeeded++;
          logger.info(fields, "recovered a PENDING transaction: postings applied, recorded SUCCESS");
        }
      } catch (error) {
        // Our own database or an unexpected fault: nothing was recorded, the next scan retries.
        summary.stillPending++;
        logger.warn({ ...fields, err: error }, "recovery attempt failed (retryable); will retry");
      }
    }
    if (summary.examined > 0) logger.info(summary, "recovery scan done");
    return summary;
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce()
        .catch((error) => logger.warn({ err: error }, "recovery scan failed (retryable); will retry"))
        .finally(() => {
          running = undefined;
          schedule();
        });
    }, options.intervalMs);
    timer.unref();
  };

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
    runOnce,
  };
}
