// The recovery worker: finishes PENDING transactions that a crash, a timeout or an unreachable
// Account service left behind. It asks the Account service whether their postings were applied
// (GetPostingStatus) and records SUCCESS if so; otherwise it sends ApplyPostings again with the
// same transaction id (idempotent there) and records what comes back. Completion is conditional
// on PENDING under the row lock, so each transaction gets exactly one final status and one
// `transaction.completed` event however many settlers race.
import type { Logger } from "../../runtime/logger.js";
import { createPeriodicJob, type PeriodicJob } from "../../runtime/periodic-job.js";
import type { DatabasePool } from "../../runtime/database.js";
import { recoveryActor, type SettlementSaga } from "./settlement-saga.js";
import { findStalePending } from "../transactions/transaction-repository.js";

/** What the worker needs and how often it runs. */
export interface RecoveryWorkerOptions {
  db: DatabasePool;
  saga: SettlementSaga;
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

/** The worker's controls: a periodic job whose runs are scans. */
export type RecoveryWorker = PeriodicJob<RecoverySummary>;

/** Creates the worker; it does nothing until started or run. */
export function createRecoveryWorker(options: RecoveryWorkerOptions): RecoveryWorker {
  const { db, saga, logger } = options;

  const scan = async (): Promise<RecoverySummary> => {
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

  return createPeriodicJob({ name: "recovery scan", intervalMs: options.intervalMs, logger, run: scan });
}
