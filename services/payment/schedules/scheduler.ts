// The scheduler: every interval it pays the runs that are due. Each due schedule is claimed with
// SKIP LOCKED (several schedulers share the work) and, in one database transaction, its run is
// recorded under UNIQUE (schedule_id, run_date), its payment is recorded with the reference
// `schedule-{schedule_id}-{YYYYMMDD}` (unique per account) and the schedule moves to its next run.
// So a period is paid at most once, whatever crashed; runs missed while the service was down are
// caught up one period at a time, in order. The payments are then processed like any other; one
// refused for lack of funds is recorded FAILED and later periods run as usual.
import type { DatabasePool, DatabaseTransactionConnection } from "../../runtime/database.js";
import type { Logger } from "../../runtime/logger.js";
import { createPeriodicJob, type PeriodicJob } from "../../runtime/periodic-job.js";
import { requestFingerprint } from "../../runtime/request-fingerprint.js";
import { findPaymentByReference, insertPayment } from "../payments/payment-repository.js";
import type { PaymentProcessing } from "../processing/payment-processing.js";
import { nextRunDate } from "./run-dates.js";
import {
  advanceSchedule,
  claimDueSchedules,
  insertRun,
  linkRunPayment,
  type ScheduleRow,
} from "./schedule-repository.js";
import type { Clock } from "./schedule-service.js";

/** Who the payments of schedules name as their initiator. */
export const schedulerActor = "payment-scheduler";

/** The reference of a schedule's payment for one run date. */
export const runReference = (scheduleId: bigint, runDate: string) =>
  `schedule-${scheduleId}-${runDate.replaceAll("-", "")}`;

/** The scheduler: a periodic job whose runs count the payments they made. */
export type Scheduler = PeriodicJob<number>;

/** Creates the scheduler; it does nothing until started or run. */
export function createScheduler(options: {
  db: DatabasePool;
  processing: PaymentProcessing;
  logger: Logger;
  clock: Clock;
  intervalMs: number;
  batchSize?: number;
}): Scheduler {
  const { db, processing, logger, clock } = options;

  /** Records one due run of a schedule and moves it on; the payment's id when one was made. */
  const payRun = async (tx: DatabaseTransactionConnection, schedule: ScheduleRow) => {
    const runDate = schedule.next_run_date;
    let paymentId: bigint | undefined;
    if (await insertRun(tx, schedule.schedule_id, runDate)) {
      const reference = runReference(schedule.schedule_id, runDate);
      const payment =
        (await insertPayment(tx, {
          accountId: schedule.account_id,
          externalReference: reference,
          method: schedule.payment_method,
          amount: schedule.amount,
          currency: schedule.currency,
          metadata: { ...schedule.metadata, initiatedBy: schedulerActor },
          fingerprint: requestFingerprint("SCHEDULED_RUN", [schedule.schedule_id, runDate]),
          scheduleId: schedule.schedule_id,
        })) ?? (await findPaymentByReference(tx, schedule.account_id, reference));
      if (payment) {
        await linkRunPayment(tx, schedule.schedule_id, runDate, payment.payment_id);
        paymentId = payment.payment_id;
      }
    }
    await advanceSchedule(
      tx,
      schedule.schedule_id,
      nextRunDate(schedule.anchor_date, schedule.frequency, runDate),
    );
    return paymentId;
  };

  return createPeriodicJob({
    name: "payment scheduler",
    intervalMs: options.intervalMs,
    logger,
    async run() {
      const today = clock.today();
      const made: bigint[] = [];
      for (;;) {
        const claimed = await db.transaction(async (tx) => {
          const due = await claimDueSchedules(tx, today, options.batchSize ?? 50);
          for (const schedule of due) {
            const paymentId = await payRun(tx, schedule);
            if (paymentId !== undefined) made.push(paymentId);
          }
          return due.length;
        });
        if (claimed === 0) break;
      }
      for (const paymentId of made) {
        // A failure here leaves the payment to the processing worker; the run is recorded.
        await processing
          .advance(paymentId)
          .catch((err: unknown) =>
            logger.warn(
              { err, paymentId: String(paymentId) },
              "processing a scheduled payment failed (retryable)",
            ),
          );
      }
      if (made.length > 0) logger.info({ payments: made.length, today }, "scheduled payments made");
      return made.length;
    },
  });
}
