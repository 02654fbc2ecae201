// The processing worker: every interval it takes the payments with work due (a debit or a
// release the ledger did not confirm, a submission that timed out, a PENDING payment to ask about,
// a completed ACH payment watched for a return, or a payment whose request died) and advances
// each. Rows are taken with SKIP LOCKED, so several instances share the work.
import type { DatabasePool } from "../../runtime/database.js";
import type { Logger } from "../../runtime/logger.js";
import { createPeriodicJob, type PeriodicJob } from "../../runtime/periodic-job.js";
import { findDueWork } from "../payments/payment-repository.js";
import type { PaymentProcessing } from "./payment-processing.js";

/** The worker: a periodic job whose runs count the payments they advanced. */
export type ProcessingWorker = PeriodicJob<number>;

/** Creates the worker; it does nothing until started or run. */
export function createProcessingWorker(options: {
  db: DatabasePool;
  processing: PaymentProcessing;
  logger: Logger;
  intervalMs: number;
  /** Payments advanced per run at most; 50 by default. */
  batchSize?: number;
}): ProcessingWorker {
  const { db, processing, logger } = options;
  return createPeriodicJob({
    name: "payment processing",
    intervalMs: options.intervalMs,
    logger,
    async run() {
      let advanced = 0;
      for (const paymentId of await findDueWork(db, options.batchSize ?? 50)) {
        try {
          if (await processing.advance(paymentId, { skipLocked: true })) advanced++;
        } catch (err) {
          // Our own database or an unexpected fault: nothing was recorded; the next run retries.
          logger.warn(
            { err, paymentId: String(paymentId) },
            "advancing a payment failed (retryable); will retry",
          );
        }
      }
      return advanced;
    },
  });
}
