// SQL of repayments (loan_repayments): one row per idempotency key of a loan, from PENDING to
// SUCCESS or FAILED. Functions take the connection first.
import { z } from "zod";
import { sql, type CommonQueryMethods } from "../../runtime/database.js";
import type { AllocationPart } from "./repayment-allocation.js";

export const repaymentRow = z.object({
  repayment_id: z.bigint(),
  loan_id: z.bigint(),
  idempotency_key: z.string(),
  request_fingerprint: z.string(),
  from_account_id: z.bigint(),
  amount: z.string(),
  currency: z.string(),
  status: z.enum(["PENDING", "SUCCESS", "FAILED"]),
  transaction_id: z.bigint().nullable(),
  failure_reason: z.string().nullable(),
  allocation: z.array(z.object({ payment_id: z.string(), amount: z.string() })).nullable(),
});
export type RepaymentRow = z.infer<typeof repaymentRow>;

const repaymentColumns = sql.fragment`
  repayment_id, loan_id, idempotency_key, request_fingerprint, from_account_id, amount, currency, status,
  transaction_id, failure_reason, allocation
`;

/** The repayment recorded under this key for the loan, or null. */
export function findRepayment(db: CommonQueryMethods, loanId: bigint, key: string) {
  return db.maybeOne(sql.type(repaymentRow)`
    SELECT ${repaymentColumns} FROM loan_repayments WHERE loan_id = ${loanId} AND idempotency_key = ${key}
  `);
}

/** The repayment, holding its row until the transaction ends. */
export function lockRepayment(db: CommonQueryMethods, repaymentId: bigint) {
  return db.one(sql.type(repaymentRow)`
    SELECT ${repaymentColumns} FROM loan_repayments WHERE repayment_id = ${repaymentId} FOR UPDATE
  `);
}

/** Records a PENDING repayment; null when the key was taken meanwhile (a concurrent replay). */
export function insertRepayment(
  db: CommonQueryMethods,
  repayment: {
    loanId: bigint;
    key: string;
    fingerprint: string;
    fromAccountId: bigint;
    amount: string;
    currency: string;
    initiatedBy: string;
  },
) {
  return db.maybeOne(sql.type(repaymentRow)`
    INSERT INTO loan_repayments
      (loan_id, idempotency_key, request_fingerprint, from_account_id, amount, currency, initiated_by, last_attempt_at)
    VALUES (${repayment.loanId}, ${repayment.key}, ${repayment.fingerprint}, ${repayment.fromAccountId},
            ${repayment.amount}::numeric, ${repayment.currency}, ${repayment.initiatedBy}, NOW())
    ON CONFLICT (loan_id, idempotency_key) DO NOTHING
    RETURNING ${repaymentColumns}
  `);
}

/** What the loan's PENDING repayments will take off the schedule once they settle. */
export async function pendingRepaymentTotal(db: CommonQueryMethods, loanId: bigint): Promise<string> {
  return db.oneFirst(sql.type(z.object({ total: z.string() }))`
    SELECT COALESCE(SUM(amount), 0)::text AS total FROM loan_repayments WHERE loan_id = ${loanId} AND status = 'PENDING'
  `);
}

/** Records an attempt to send the repayment's debit. */
export async function recordRepaymentAttempt(
  db: CommonQueryMethods,
  repaymentId: bigint,
  transactionId: bigint | null,
) {
  await db.query(sql.unsafe`
    UPDATE loan_repayments
    SET attempts = attempts + 1, last_attempt_at = NOW(), transaction_id = COALESCE(${transactionId}, transaction_id)
    WHERE repayment_id = ${repaymentId}
  `);
}

/** The debit settled and the amount was spread over the installments. */
export async function completeRepayment(
  db: CommonQueryMethods,
  repaymentId: bigint,
  transactionId: bigint,
  allocation: readonly AllocationPart[],
) {
  await db.query(sql.unsafe`
    UPDATE loan_repayments
    SET status = 'SUCCESS', transaction_id = ${transactionId}, completed_at = NOW(),
        allocation = ${sql.jsonb(allocation.map((part) => ({ payment_id: String(part.paymentId), amount: part.amount })))}
    WHERE repayment_id = ${repaymentId}
  `);
}

/** The debit was refused for good, with the Transaction service's reason. */
export async function failRepayment(
  db: CommonQueryMethods,
  repaymentId: bigint,
  reason: string,
  transactionId: bigint | null,
) {
  await db.query(sql.unsafe`
    UPDATE loan_repayments
    SET status = 'FAILED', failure_reason = ${reason}, transaction_id = COALESCE(${transactionId}, transaction_id),
        completed_at = NOW()
    WHERE repayment_id = ${repaymentId}
  `);
}
