// SQL of scheduled payments, their runs and the idempotency keys of SchedulePayment. Functions
// take the connection (pool or transaction) first.
import { z } from "zod";
import { sql, type CommonQueryMethods } from "../../runtime/database.js";
import { paymentMetadata, type StoredPaymentMethod } from "../payments/payment-repository.js";
import type { Frequency } from "./run-dates.js";

export const scheduleRow = z.object({
  schedule_id: z.bigint(),
  account_id: z.bigint(),
  amount: z.string(),
  currency: z.string(),
  frequency: z.enum(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]),
  next_run_date: z.string(),
  end_date: z.string().nullable(),
  is_active: z.boolean(),
  created_at: z.date(),
  updated_at: z.date(),
  payment_method: z.enum(["ACH", "WIRE", "CARD", "EXTERNAL"]),
  metadata: paymentMetadata,
  anchor_date: z.string(),
  cancelled_by: z.string().nullable(),
  cancelled_at: z.date().nullable(),
});
export type ScheduleRow = z.infer<typeof scheduleRow>;

const columns = sql.fragment`
  schedule_id, account_id, amount, currency, frequency, next_run_date, end_date, is_active, created_at,
  updated_at, payment_method, metadata, anchor_date, cancelled_by, cancelled_at
`;

/** Everything a schedule is made of, when it is created or replaced. */
export interface ScheduleFields {
  accountId: bigint;
  amount: string;
  currency: string;
  frequency: Frequency;
  /** The first (or next) run; the schedule keeps to it as its anchor. */
  nextRunDate: string;
  endDate: string | null;
  method: StoredPaymentMethod;
  metadata: z.infer<typeof paymentMetadata>;
}

/** Creates an active schedule. */
export function insertSchedule(db: CommonQueryMethods, fields: ScheduleFields): Promise<ScheduleRow> {
  return db.one(sql.type(scheduleRow)`
    INSERT INTO scheduled_payments (account_id, amount, currency, frequency, next_run_date, end_date,
                                    payment_method, metadata, anchor_date)
    VALUES (${fields.accountId}, ${fields.amount}, ${fields.currency}, ${fields.frequency}, ${fields.nextRunDate},
            ${fields.endDate}, ${fields.method}, ${sql.jsonb(fields.metadata)}, ${fields.nextRunDate})
    RETURNING ${columns}
  `);
}

/** Replaces every field of a schedule; its next run becomes its new anchor. */
export function replaceSchedule(
  db: CommonQueryMethods,
  scheduleId: bigint,
  fields: ScheduleFields,
): Promise<ScheduleRow> {
  return db.one(sql.type(scheduleRow)`
    UPDATE scheduled_payments
       SET amount = ${fields.amount}, currency = ${fields.currency}, frequency = ${fields.frequency},
           next_run_date = ${fields.nextRunDate}, end_date = ${fields.endDate}, payment_method = ${fields.method},
           metadata = ${sql.jsonb(fields.metadata)}, anchor_date = ${fields.nextRunDate}, updated_at = NOW()
     WHERE schedule_id = ${scheduleId}
    RETURNING ${columns}
  `);
}

/** The schedule with this id, or null; forUpdate locks it for the rest of the transaction. */
export function findSchedule(
  db: CommonQueryMethods,
  scheduleId: bigint,
  options: { forUpdate?: boolean } = {},
): Promise<ScheduleRow | null> {
  return db.maybeOne(sql.type(scheduleRow)`
    SELECT ${columns} FROM scheduled_payments WHERE schedule_id = ${scheduleId}
    ${options.forUpdate ? sql.fragment`FOR UPDATE` : sql.fragment``}
  `);
}

/** Stops a schedule, recording who and when; an inactive one is left as it is. */
export async function cancelSchedule(
  db: CommonQueryMethods,
  scheduleId: bigint,
  actor: string,
): Promise<void> {
  await db.query(sql.unsafe`
    UPDATE scheduled_payments
       SET is_active = FALSE, cancelled_by = ${actor}, cancelled_at = NOW(), updated_at = NOW()
     WHERE schedule_id = ${scheduleId} AND is_active
  `);
}

/**
 * Claims up to `limit` active schedules due on or before `today`, earliest run first, locking them
 * for the rest of the transaction; schedules another scheduler holds are skipped.
 */
export function claimDueSchedules(
  db: CommonQueryMethods,
  today: string,
  limit: number,
): Promise<readonly ScheduleRow[]> {
  return db.any(sql.type(scheduleRow)`
    SELECT ${columns} FROM scheduled_payments
     WHERE is_active AND next_run_date <= ${today}::date
     ORDER BY next_run_date, schedule_id
     LIMIT ${limit}
     FOR UPDATE SKIP LOCKED
  `);
}

/** Records a run of a schedule; false when that run date was recorded already. */
export async function insertRun(
  db: CommonQueryMethods,
  scheduleId: bigint,
  runDate: string,
): Promise<boolean> {
  const result = await db.query(sql.unsafe`
    INSERT INTO scheduled_payment_runs (schedule_id, run_date) VALUES (${scheduleId}, ${runDate}::date)
    ON CONFLICT DO NOTHING
  `);
  return result.rowCount === 1;
}

/** Links a run to the payment it made. */
export async function linkRunPayment(
  db: CommonQueryMethods,
  scheduleId: bigint,
  runDate: string,
  paymentId: bigint,
): Promise<void> {
  await db.query(sql.unsafe`
    UPDATE scheduled_payment_runs SET payment_id = ${paymentId}
     WHERE schedule_id = ${scheduleId} AND run_date = ${runDate}::date
  `);
}

/** Moves a schedule to its next run; past its end date it becomes inactive. */
export async function advanceSchedule(
  db: CommonQueryMethods,
  scheduleId: bigint,
  nextRunDate: string,
): Promise<void> {
  await db.query(sql.unsafe`
    UPDATE scheduled_payments
       SET next_run_date = ${nextRunDate}::date,
           is_active = (end_date IS NULL OR ${nextRunDate}::date <= end_date),
           updated_at = NOW()
     WHERE schedule_id = ${scheduleId}
  `);
}

const requestRow = z.object({ request_fingerprint: z.string(), schedule_id: z.bigint() });

/** What an earlier SchedulePayment with this key asked for and made, or null. */
export function findScheduleRequest(db: CommonQueryMethods, accountId: bigint, key: string) {
  return db.maybeOne(sql.type(requestRow)`
    SELECT request_fingerprint, schedule_id FROM schedule_requests
     WHERE account_id = ${accountId} AND idempotency_key = ${key}
  `);
}

/** Records a SchedulePayment's key; false when a concurrent request recorded it first. */
export async function insertScheduleRequest(
  db: CommonQueryMethods,
  request: { accountId: bigint; key: string; fingerprint: string; scheduleId: bigint },
): Promise<boolean> {
  const result = await db.query(sql.unsafe`
    INSERT INTO schedule_requests (account_id, idempotency_key, request_fingerprint, schedule_id)
    VALUES (${request.accountId}, ${request.key}, ${request.fingerprint}, ${request.scheduleId})
    ON CONFLICT DO NOTHING
  `);
  return result.rowCount === 1;
}
