// SQL of loans and their installments: functions taking the connection first.
import { z } from "zod";
import { sql, type CommonQueryMethods } from "../../runtime/database.js";
import type { ScheduledInstallment } from "./amortization.js";

export const loanStatuses = ["ACTIVE", "CLOSED", "DEFAULTED"] as const;
export type LoanStatusName = (typeof loanStatuses)[number];
export const disbursementStatuses = ["PENDING", "DISBURSED", "FAILED"] as const;
export type DisbursementStatusName = (typeof disbursementStatuses)[number];
export const installmentStatuses = ["DUE", "PAID", "LATE", "DEFAULTED"] as const;

export const loanRow = z.object({
  loan_id: z.bigint(),
  application_id: z.bigint(),
  customer_id: z.bigint(),
  principal_amount: z.string(),
  outstanding_balance: z.string(),
  interest_rate: z.string(),
  currency: z.string(),
  start_date: z.string(),
  end_date: z.string(),
  status: z.enum(loanStatuses),
  disbursement_account_id: z.bigint(),
  settlement_account_id: z.bigint(),
  disbursement_status: z.enum(disbursementStatuses),
  disbursement_transaction_id: z.bigint().nullable(),
  created_at: z.date(),
  updated_at: z.date(),
});
export type LoanRow = z.infer<typeof loanRow>;

const loanColumns = sql.fragment`
  loan_id, application_id, customer_id, principal_amount, outstanding_balance, interest_rate, currency,
  start_date, end_date, status, disbursement_account_id, settlement_account_id, disbursement_status,
  disbursement_transaction_id, created_at, updated_at
`;

export const installmentRow = z.object({
  payment_id: z.bigint(),
  loan_id: z.bigint(),
  installment_number: z.number(),
  due_date: z.string(),
  payment_amount: z.string(),
  principal_amount: z.string(),
  interest_amount: z.string(),
  paid_amount: z.string(),
  paid_date: z.string().nullable(),
  status: z.enum(installmentStatuses),
});
export type InstallmentRow = z.infer<typeof installmentRow>;

const installmentColumns = sql.fragment`
  payment_id, loan_id, installment_number, due_date, payment_amount, principal_amount, interest_amount,
  paid_amount, paid_date, status
`;

/**
 * Opens an ACTIVE loan whose payout is PENDING, with its schedule. The payout counts as attempted
 * now: the request that approved the loan pays it out at once, and the recovery worker takes it
 * over only if that attempt has not settled it after a while.
 */
export async function insertLoan(
  db: CommonQueryMethods,
  loan: {
    applicationId: bigint;
    customerId: bigint;
    principal: string;
    interestRate: string;
    currency: string;
    startDate: string;
    endDate: string;
    disbursementAccountId: bigint;
    settlementAccountId: bigint;
  },
  schedule: readonly ScheduledInstallment[],
): Promise<LoanRow> {
  const row = await db.one(sql.type(loanRow)`
    INSERT INTO loan_accounts
      (application_id, customer_id, principal_amount, outstanding_balance, interest_rate, currency, start_date,
       end_date, disbursement_account_id, settlement_account_id, disbursement_last_attempt_at)
    VALUES (${loan.applicationId}, ${loan.customerId}, ${loan.principal}::numeric, ${loan.principal}::numeric,
            ${loan.interestRate}::numeric, ${loan.currency}, ${loan.startDate}::date, ${loan.endDate}::date,
            ${loan.disbursementAccountId}, ${loan.settlementAccountId}, NOW())
    RETURNING ${loanColumns}
  `);
  await db.query(sql.unsafe`
    INSERT INTO loan_payments (loan_id, installment_number, due_date, payment_amount, principal_amount, interest_amount)
    SELECT ${row.loan_id}, *
    FROM ${sql.unnest(
      schedule.map((i) => [i.number, i.dueDate, i.paymentAmount, i.principalAmount, i.interestAmount]),
      ["int4", "date", "numeric", "numeric", "numeric"],
    )}
  `);
  return row;
}

/** The loan, or null; `lock` holds its row until the transaction ends. */
export function findLoan(db: CommonQueryMethods, loanId: bigint, options: { lock?: boolean } = {}) {
  return db.maybeOne(sql.type(loanRow)`
    SELECT ${loanColumns} FROM loan_accounts WHERE loan_id = ${loanId}
    ${options.lock ? sql.fragment`FOR UPDATE` : sql.fragment``}
  `);
}

/** The loan if no other transaction holds its row (it is being worked on there), else null. */
export function lockLoanIfFree(db: CommonQueryMethods, loanId: bigint) {
  return db.maybeOne(sql.type(loanRow)`
    SELECT ${loanColumns} FROM loan_accounts WHERE loan_id = ${loanId} FOR UPDATE SKIP LOCKED
  `);
}

/** One page of the loan's schedule, by due date, after an installment number. */
export function listInstallments(db: CommonQueryMethods, loanId: bigint, afterNumber: number, limit: number) {
  return db.any(sql.type(installmentRow)`
    SELECT ${installmentColumns} FROM loan_payments
    WHERE loan_id = ${loanId} AND installment_number > ${afterNumber}
    ORDER BY installment_number
    LIMIT ${limit}
  `);
}

/** The whole schedule of the loan, by due date; `lock` holds the rows. */
export function allInstallments(db: CommonQueryMethods, loanId: bigint, options: { lock?: boolean } = {}) {
  return db.any(sql.type(installmentRow)`
    SELECT ${installmentColumns} FROM loan_payments
    WHERE loan_id = ${loanId}
    ORDER BY installment_number
    ${options.lock ? sql.fragment`FOR UPDATE` : sql.fragment``}
  `);
}

/** The installments with these ids, by due date. */
export function findInstallments(db: CommonQueryMethods, paymentIds: readonly bigint[]) {
  return db.any(sql.type(installmentRow)`
    SELECT ${installmentColumns} FROM loan_payments
    WHERE payment_id = ANY(${sql.array(paymentIds, "int8")})
    ORDER BY installment_number
  `);
}

/**
 * Adds a payment to an installment: PAID (on `day`) once it is paid in full, else it keeps its
 * DUE or LATE status.
 */
export async function addToInstallment(
  db: CommonQueryMethods,
  paymentId: bigint,
  amount: string,
  day: string,
) {
  await db.query(sql.unsafe`
    UPDATE loan_payments
    SET paid_amount = paid_amount + ${amount}::numeric,
        status = CASE WHEN paid_amount + ${amount}::numeric = payment_amount THEN 'PAID' ELSE status END,
        paid_date = CASE WHEN paid_amount + ${amount}::numeric = payment_amount THEN ${day}::date ELSE NULL END
    WHERE payment_id = ${paymentId}
  `);
}

/** Sets the principal still owed, closing the loan once it is zero. */
export function updateOutstanding(db: CommonQueryMethods, loanId: bigint, outstanding: string) {
  return db.one(sql.type(loanRow)`
    UPDATE loan_accounts
    SET outstanding_balance = ${outstanding}::numeric, updated_at = NOW(),
        status = CASE WHEN ${outstanding}::numeric = 0 THEN 'CLOSED' ELSE status END
    WHERE loan_id = ${loanId}
    RETURNING ${loanColumns}
  `);
}

/** Records a payout attempt (before the transfer is sent). */
export async function recordDisbursementAttempt(db: CommonQueryMethods, loanId: bigint) {
  await db.query(sql.unsafe`
    UPDATE loan_accounts
    SET disbursement_attempts = disbursement_attempts + 1, disbursement_last_attempt_at = NOW()
    WHERE loan_id = ${loanId}
  `);
}

/** The payout settled: the principal is in the customer's account. */
export function markDisbursed(db: CommonQueryMethods, loanId: bigint, transactionId: bigint) {
  return db.maybeOne(sql.type(loanRow)`
    UPDATE loan_accounts
    SET disbursement_status = 'DISBURSED', disbursement_transaction_id = ${transactionId}, disbursed_at = NOW(),
        updated_at = NOW()
    WHERE loan_id = ${loanId} AND disbursement_status = 'PENDING'
    RETURNING ${loanColumns}
  `);
}

/** The payout is in flight at the Transaction service; its transaction is known. */
export async function recordDisbursementTransaction(
  db: CommonQueryMethods,
  loanId: bigint,
  transactionId: bigint,
) {
  await db.query(sql.unsafe`
    UPDATE loan_accounts SET disbursement_transaction_id = ${transactionId}
    WHERE loan_id = ${loanId} AND disbursement_status = 'PENDING'
  `);
}

/**
 * The payout was refused for good: nothing was lent, so the loan is CLOSED owing nothing and its
 * schedule, which never started, is removed.
 */
export async function markDisbursementFailed(
  db: CommonQueryMethods,
  loanId: bigint,
  reason: string,
  transactionId: bigint | null,
) {
  const row = await db.maybeOne(sql.type(loanRow)`
    UPDATE loan_accounts
    SET disbursement_status = 'FAILED', disbursement_failure_reason = ${reason},
        disbursement_transaction_id = ${transactionId}, status = 'CLOSED', outstanding_balance = 0, updated_at = NOW()
    WHERE loan_id = ${loanId} AND disbursement_status = 'PENDING'
    RETURNING ${loanColumns}
  `);
  if (row) await db.query(sql.unsafe`DELETE FROM loan_payments WHERE loan_id = ${loanId}`);
  return row;
}
