// The recovery worker finishes what a request started and could not finish: an assessment left
// SUBMITTED (the bureau or a service was unreachable), a payout left PENDING and a repayment left
// PENDING (the Transaction service was unreachable or answered PENDING, or the instance died).
// Each run claims items whose last attempt is older than RECOVERY_MIN_AGE_SECONDS by stamping a
// new attempt (SKIP LOCKED, so instances share the work), then finishes them the way the request
// would have: the same idempotency keys, so nothing is paid or debited twice.
import type { DatabasePool } from "../../runtime/database.js";
import type { Logger } from "../../runtime/logger.js";
import { createPeriodicJob, type PeriodicJob } from "../../runtime/periodic-job.js";
import type { Underwriting } from "../applications/underwriting.js";
import type { Disbursements } from "../loans/disbursement.js";
import type { Repayments } from "../loans/repayment-service.js";
import {
  claimStale,
  staleAssessments,
  stalePayouts,
  staleRepayments,
  type StaleWork,
} from "./stale-work-repository.js";

/** How many items a run took over. */
export interface RecoveryResult {
  assessments: number;
  disbursements: number;
  repayments: number;
}

/** The worker as a job of the service. */
export type RecoveryWorker = PeriodicJob<RecoveryResult>;

/** Creates the worker. */
export function createRecoveryWorker(deps: {
  db: DatabasePool;
  underwriting: Underwriting;
  disbursements: Disbursements;
  repayments: Repayments;
  logger: Logger;
  intervalMs: number;
  minAgeSeconds: number;
  batchSize: number;
}): RecoveryWorker {
  const { db, underwriting, disbursements, repayments, logger, minAgeSeconds, batchSize } = deps;

  // Each claimed item on its own: one that fails is logged and retried on a later run.
  const each = async (what: string, work: StaleWork, finish: (id: bigint) => Promise<unknown>) => {
    const ids = await claimStale(db, work, minAgeSeconds, batchSize);
    for (const id of ids) {
      try {
        await finish(id);
      } catch (err) {
        logger.warn(
          { err, [what]: String(id) },
          `recovery of ${what} failed (retryable); retried on a later run`,
        );
      }
    }
    return ids.length;
  };

  return createPeriodicJob({
    name: "loan recovery",
    intervalMs: deps.intervalMs,
    logger,
    run: async () => {
      const assessments = await each("application", staleAssessments, async (id) => {
        const assessed = await underwriting.assess(id);
        if (assessed.loan) await disbursements.disburse(assessed.loan.loan_id);
      });
      const payouts = await each("loan", stalePayouts, (id) => disbursements.disburse(id));
      const debits = await each("repayment", staleRepayments, (id) => repayments.resume(id));
      const result = { assessments, disbursements: payouts, repayments: debits };
      if (assessments + payouts + debits > 0) logger.info(result, "loan recovery run");
      return result;
    },
  });
}
