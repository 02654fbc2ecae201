// SQL of payments and their attempts. Functions take the connection (pool or transaction) first;
// the rules live in payment-service.ts and the processing steps in ../processing.
import { z } from "zod";
import { sql, type CommonQueryMethods } from "../../runtime/database.js";
import { newestFirstQuery, type NewestFirstCursor } from "../../runtime/pagination.js";

/** A status as stored (CHECK chk_payment_status). */
export type StoredPaymentStatus = "INITIATED" | "PENDING" | "COMPLETED" | "FAILED" | "REVERSED";
/** A payment method as stored (CHECK chk_payment_method). */
export type StoredPaymentMethod = "ACH" | "WIRE" | "CARD" | "EXTERNAL";
/** Where the payment's money is (CHECK chk_payment_funds). */
export type FundsState = "TO_DEBIT" | "DEBITED" | "TO_RELEASE" | "RELEASED" | "NONE";
/** An attempt's status as stored (CHECK chk_pa_status). */
export type StoredAttemptStatus = "REQUESTED" | "PROCESSING" | "SUCCESS" | "FAILED";

/** What the payment's metadata JSONB holds. */
export const paymentMetadata = z.object({
  beneficiary: z.object({
    name: z.string(),
    accountNumber: z.string().optional(),
    iban: z.string().optional(),
    bankCode: z.string().optional(),
    reference: z.string().optional(),
  }),
  description: z.string().optional(),
  initiatedBy: z.string(),
});
export type PaymentMetadata = z.infer<typeof paymentMetadata>;

export const paymentRow = z.object({
  payment_id: z.bigint(),
  account_id: z.bigint(),
  external_reference: z.string(),
  payment_method: z.enum(["ACH", "WIRE", "CARD", "EXTERNAL"]),
  amount: z.string(),
  currency: z.string(),
  status: z.enum(["INITIATED", "PENDING", "COMPLETED", "FAILED", "REVERSED"]),
  initiated_at: z.date(),
  completed_at: z.date().nullable(),
  metadata: paymentMetadata,
  request_fingerprint: z.string(),
  ledger_key: z.string(),
  funds_state: z.enum(["TO_DEBIT", "DEBITED", "TO_RELEASE", "RELEASED", "NONE"]),
  debit_transaction_id: z.bigint().nullable(),
  release_transaction_id: z.bigint().nullable(),
  failure_reason: z.string().nullable(),
  processor_reference: z.string().nullable(),
  attempts: z.number(),
  watch_until: z.date().nullable(),
  schedule_id: z.bigint().nullable(),
  /** initiated_at in microseconds since the epoch: exact, for page tokens. */
  initiated_us: z.bigint(),
});
export type PaymentRow = z.infer<typeof paymentRow>;

export const attemptRow = z.object({
  attempt_id: z.bigint(),
  attempt_ts: z.date(),
  status: z.enum(["REQUESTED", "PROCESSING", "SUCCESS", "FAILED"]),
  response_code: z.string().nullable(),
  response_message: z.string().nullable(),
});
export type AttemptRow = z.infer<typeof attemptRow>;

const columns = sql.fragment`
  payment_id, account_id, external_reference, payment_method, amount, currency, status, initiated_at,
  completed_at, metadata, request_fingerprint, ledger_key, funds_state, debit_transaction_id, release_transaction_id,
  failure_reason, processor_reference, attempts, watch_until, schedule_id,
  (EXTRACT(EPOCH FROM initiated_at) * 1000000)::BIGINT AS initiated_us
`;

/** What a new payment is made of. */
export interface NewPayment {
  accountId: bigint;
  externalReference: string;
  method: StoredPaymentMethod;
  amount: string;
  currency: string;
  metadata: PaymentMetadata;
  fingerprint: string;
  scheduleId: bigint | null;
}

/**
 * How long the request (or schedule run) that created a payment has to process it before the
 * processing worker takes over: the worker finds it only if that caller died.
 */
const handOverMs = 10_000;

/**
 * Inserts an INITIATED payment whose money is still to be debited. Returns null, inserting
 * nothing, when the account already has a payment with this reference (the idempotency key).
 */
export function insertPayment(db: CommonQueryMethods, payment: NewPayment): Promise<PaymentRow | null> {
  return db.maybeOne(sql.type(paymentRow)`
    INSERT INTO payments (account_id, external_reference, payment_method, amount, currency, metadata,
                          request_fingerprint, schedule_id, next_action_at)
    VALUES (${payment.accountId}, ${payment.externalReference}, ${payment.method}, ${payment.amount},
            ${payment.currency}, ${sql.jsonb(payment.metadata)}, ${payment.fingerprint}, ${payment.scheduleId},
            NOW() + ${handOverMs} * INTERVAL '1 millisecond')
    ON CONFLICT (account_id, external_reference) DO NOTHING
    RETURNING ${columns}
  `);
}

/**
 * The payment with this id, or null. With `lock`, its row stays locked for the rest of the
 * database transaction; "skip" skips a payment another session holds (null) instead of waiting.
 */
export function findPayment(db: CommonQueryMethods, paymentId: bigint, lock?: "wait" | "skip") {
  const locking = lock
    ? sql.fragment`FOR UPDATE ${lock === "skip" ? sql.fragment`SKIP LOCKED` : sql.fragment``}`
    : sql.fragment``;
  return db.maybeOne(
    sql.type(paymentRow)`SELECT ${columns} FROM payments WHERE payment_id = ${paymentId} ${locking}`,
  );
}

/** The account's payment with this reference, or null. */
export function findPaymentByReference(
  db: CommonQueryMethods,
  accountId: bigint,
  reference: string,
): Promise<PaymentRow | null> {
  return db.maybeOne(sql.type(paymentRow)`
    SELECT ${columns} FROM payments WHERE account_id = ${accountId} AND external_reference = ${reference}
  `);
}

/** The columns a processing step changes; unset ones keep their value. */
export interface PaymentChange {
  status?: StoredPaymentStatus;
  fundsState?: FundsState;
  debitTransactionId?: bigint;
  releaseTransactionId?: bigint;
  failureReason?: string;
  processorReference?: string;
  /** Counts one more call to the processor. */
  countAttempt?: boolean;
  /** When the processing worker should look at the payment again, from now. */
  nextActionInMs?: number;
  /** Until when a completed payment is watched for a return (null stops watching). */
  watchUntil?: Date | null;
}

/** Applies a processing step's change; reaching COMPLETED, FAILED or REVERSED stamps completed_at. */
export function updatePayment(
  db: CommonQueryMethods,
  paymentId: bigint,
  change: PaymentChange,
): Promise<PaymentRow> {
  const sets = [sql.fragment`updated_at = NOW()`];
  if (change.status) {
    sets.push(sql.fragment`status = ${change.status}`);
    if (change.status !== "INITIATED" && change.status !== "PENDING") {
      sets.push(sql.fragment`completed_at = COALESCE(completed_at, NOW())`);
    }
  }
  if (change.fundsState) sets.push(sql.fragment`funds_state = ${change.fundsState}`);
  if (change.debitTransactionId) sets.push(sql.fragment`debit_transaction_id = ${change.debitTransactionId}`);
  if (change.releaseTransactionId) {
    sets.push(sql.fragment`release_transaction_id = ${change.releaseTransactionId}`);
  }
  if (change.failureReason) sets.push(sql.fragment`failure_reason = ${change.failureReason.slice(0, 64)}`);
  if (change.processorReference) sets.push(sql.fragment`processor_reference = ${change.processorReference}`);
  if (change.countAttempt) sets.push(sql.fragment`attempts = attempts + 1`);
  if (change.nextActionInMs !== undefined) {
    sets.push(sql.fragment`next_action_at = NOW() + ${change.nextActionInMs} * INTERVAL '1 millisecond'`);
  }
  if (change.watchUntil !== undefined) {
    sets.push(sql.fragment`watch_until = ${change.watchUntil ? sql.timestamp(change.watchUntil) : null}`);
  }
  return db.one(sql.type(paymentRow)`
    UPDATE payments SET ${sql.join(sets, sql.fragment`, `)} WHERE payment_id = ${paymentId} RETURNING ${columns}
  `);
}

/** Records one call to the processor and what it answered. */
export async function insertAttempt(
  db: CommonQueryMethods,
  attempt: { paymentId: bigint; status: StoredAttemptStatus; code: string; message: string },
): Promise<void> {
  await db.query(sql.unsafe`
    INSERT INTO payment_attempts (payment_id, status, response_code, response_message)
    VALUES (${attempt.paymentId}, ${attempt.status}, ${attempt.code.slice(0, 50)}, ${attempt.message})
  `);
}

/** A payment's attempts, oldest first. */
export function listAttempts(db: CommonQueryMethods, paymentId: bigint): Promise<readonly AttemptRow[]> {
  return db.any(sql.type(attemptRow)`
    SELECT attempt_id, attempt_ts, status, response_code, response_message
      FROM payment_attempts WHERE payment_id = ${paymentId} ORDER BY attempt_id
  `);
}

/** One page of an account's payments, newest first, optionally of one status. */
export function listAccountPayments(
  db: CommonQueryMethods,
  query: { accountId: bigint; status?: StoredPaymentStatus; after?: NewestFirstCursor; limit: number },
): Promise<readonly PaymentRow[]> {
  const where = [sql.fragment`account_id = ${query.accountId}`];
  if (query.status) where.push(sql.fragment`status = ${query.status}`);
  const page = {
    select: columns,
    from: sql.fragment`payments`,
    where,
    time: "initiated_at",
    id: "payment_id",
  };
  return db.any(
    sql.type(paymentRow)`${newestFirstQuery({ ...page, after: query.after, limit: query.limit })}`,
  );
}

/**
 * Ids of payments with work due: not final yet, money still to debit or return, or a completed
 * payment still watched for a return; oldest due first.
 */
export function findDueWork(db: CommonQueryMethods, limit: number): Promise<readonly bigint[]> {
  return db.anyFirst(sql.type(z.object({ payment_id: z.bigint() }))`
    SELECT payment_id FROM payments
     WHERE (status IN ('INITIATED','PENDING') OR funds_state IN ('TO_DEBIT','TO_RELEASE') OR watch_until IS NOT NULL)
       AND next_action_at <= NOW()
     ORDER BY next_action_at
     LIMIT ${limit}
  `);
}
