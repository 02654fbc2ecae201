// The daily delinquency run: as of each day (the clock's UTC day), unpaid installments past their
// due date become LATE, those more than LOAN_DEFAULT_GRACE_DAYS past it become DEFAULTED, and a
// loan with a DEFAULTED installment becomes DEFAULTED (90 days past due, the usual regulatory
// definition of default, by default). A job checks every DELINQUENCY_CHECK_INTERVAL_MS whether
// today's run has happened; the run and the record of its day (UNIQUE run_date) commit in one
// transaction, so each day is run exactly once whatever the number of instances, and a day
// missed (the service was down) is caught up by the next, since every rule is "as of" the day.
import { utcDay } from "../../runtime/calendar.js";
import type { DatabasePool } from "../../runtime/database.js";
import type { Logger } from "../../runtime/logger.js";
import { createPeriodicJob, type PeriodicJob } from "../../runtime/periodic-job.js";
import type { Clock } from "../clock.js";
import {
  claimRun,
  finishRun,
  markInstallmentsDefaulted,
  markLate,
  markLoansDefaulted,
} from "./delinquency-repository.js";

/** What a run did; `ran` is false when the day had been run already. */
export interface DelinquencyRunResult {
  runDate: string;
  ran: boolean;
  installmentsLate: number;
  installmentsDefaulted: number;
  loansDefaulted: number;
}

/** The daily run as a job of the service. */
export type DelinquencyRun = PeriodicJob<DelinquencyRunResult>;

/** Creates the job. */
export function createDelinquencyRun(deps: {
  db: DatabasePool;
  clock: Clock;
  logger: Logger;
  graceDays: number;
  intervalMs: number;
}): DelinquencyRun {
  const { db, clock, logger, graceDays } = deps;
  return createPeriodicJob({
    name: "delinquency run",
    intervalMs: deps.intervalMs,
    logger,
    run: async () => {
      const runDate = utcDay(clock.now());
      const result = await db.transaction(async (tx): Promise<DelinquencyRunResult> => {
        if (!(await claimRun(tx, runDate))) {
          return { runDate, ran: false, installmentsLate: 0, installmentsDefaulted: 0, loansDefaulted: 0 };
        }
        const installmentsLate = await markLate(tx, runDate);
        const installmentsDefaulted = await markInstallmentsDefaulted(tx, runDate, graceDays);
        const loansDefaulted = await markLoansDefaulted(tx);
        await finishRun(tx, runDate, {
          late: installmentsLate,
          defaulted: installmentsDefaulted,
          loans: loansDefaulted,
        });
        return { runDate, ran: true, installmentsLate, installmentsDefaulted, loansDefaulted };
      });
      if (result.ran) logger.info(result, "delinquency run done");
      return result;
    },
  });
}
