// Source rows → warehouse rows: what the loader keeps of each captured table, read and checked
// from a change event. Pure functions, so the mapping is tested without a database.
import { NonRetryableError } from "../../runtime/kafka-consumer.js";
import { isWarehouseDay } from "../calendar.js";
import type { CdcChange, CdcInstant, CdcRow } from "./cdc-record.js";

/** The currency of loan rows that name none: the Loan service lends in USD. */
export const defaultLoanCurrency = "USD";

/** A fact's day must be in dim_date, or no partition and no query would ever find it. */
function factDay(row: CdcRow, column: string, instant: CdcInstant): string {
  if (!isWarehouseDay(instant.day)) {
    throw new NonRetryableError(`${row.table}.${column} falls outside the warehouse calendar (2000-2050)`);
  }
  return instant.day;
}

/**
 * The time a row's current state dates from: its updated_at if it has one, else the source
 * commit time. Daily snapshots are filed under this time's UTC day.
 */
function stateTime(change: CdcChange, fallbackColumn: string): CdcInstant {
  const { row } = change;
  if (row.has("updated_at")) return row.instant("updated_at");
  if (change.sourceTs) {
    const at = change.sourceTs;
    return { text: at.toISOString(), at, day: at.toISOString().slice(0, 10) };
  }
  return row.instant(fallbackColumn);
}

export interface BranchRow {
  branchId: number;
  branchName: string;
  region: string;
}

export function toBranchRow(change: CdcChange): BranchRow {
  const { row } = change;
  return {
    branchId: row.int32("branch_id"),
    branchName: row.text("branch_name", 100),
    region: row.optionalText("region", 50) ?? "",
  };
}

export interface CustomerRow {
  customerId: bigint;
  createdAt: string;
  createdDate: string;
}

export function toCustomerRow(change: CdcChange): CustomerRow {
  const createdAt = change.row.instant("created_at");
  return { customerId: change.row.id("customer_id"), createdAt: createdAt.text, createdDate: createdAt.day };
}

export interface AccountRow {
  accountId: bigint;
  customerId: bigint;
  accountType: string;
  currency: string;
  /** 0 (Unassigned) when the account names no branch. */
  branchId: number;
  status: string;
  openedAt: string;
  openedYear: number;
  closedAt: string | null;
  balance: string;
  /** The day and time of this balance, for the daily snapshot. */
  balanceDay: string;
  balanceAsOf: string;
}

export function toAccountRow(change: CdcChange): AccountRow {
  const { row } = change;
  const openedAt = row.instant("opened_at");
  const asOf = stateTime(change, "opened_at");
  return {
    accountId: row.id("account_id"),
    customerId: row.id("customer_id"),
    accountType: row.text("account_type", 20),
    currency: row.currency("currency"),
    branchId: row.has("branch_id") ? row.int32("branch_id") : 0,
    status: row.text("status", 20),
    openedAt: openedAt.text,
    openedYear: openedAt.at.getUTCFullYear(),
    closedAt: row.optionalInstant("closed_at")?.text ?? null,
    balance: row.decimal("balance"),
    balanceDay: factDay(row, "updated_at", asOf),
    balanceAsOf: asOf.text,
  };
}

export interface TransactionFactRow {
  transactionId: bigint;
  /** The UTC day of created_at. */
  dateId: string;
  accountId: bigint;
  relatedAccountId: bigint | null;
  amount: string;
  currency: string;
  transactionType: string;
  status: string;
  createdAt: string;
  completedAt: string | null;
}

export function toTransactionFact(change: CdcChange): TransactionFactRow {
  const { row } = change;
  const createdAt = row.instant("created_at");
  return {
    transactionId: row.id("transaction_id"),
    dateId: factDay(row, "created_at", createdAt),
    accountId: row.id("account_id"),
    relatedAccountId: row.optionalId("related_account_id"),
    amount: row.decimal("amount"),
    currency: row.currency("currency"),
    transactionType: row.text("transaction_type", 20),
    status: row.text("status", 20),
    createdAt: createdAt.text,
    completedAt: row.optionalInstant("completed_at")?.text ?? null,
  };
}

export interface PaymentFactRow {
  paymentId: bigint;
  /** The UTC day of initiated_at. */
  dateId: string;
  accountId: bigint;
  amount: string;
  currency: string;
  paymentMethod: string;
  status: string;
  initiatedAt: string;
  completedAt: string | null;
}

export function toPaymentFact(change: CdcChange): PaymentFactRow {
  const { row } = change;
  const initiatedAt = row.instant("initiated_at");
  return {
    paymentId: row.id("payment_id"),
    dateId: factDay(row, "initiated_at", initiatedAt),
    accountId: row.id("account_id"),
    amount: row.decimal("amount"),
    currency: row.currency("currency"),
    paymentMethod: row.text("payment_method", 20),
    status: row.text("status", 20),
    initiatedAt: initiatedAt.text,
    completedAt: row.optionalInstant("completed_at")?.text ?? null,
  };
}

export interface LoanApplicationRow {
  applicationId: bigint;
  customerId: bigint;
  amountRequested: string;
  currency: string;
  status: string;
  submittedAt: string;
  reviewedAt: string | null;
  /** The UTC day of reviewed_at, if the application has been decided. */
  decidedDate: string | null;
}

export function toLoanApplicationRow(change: CdcChange): LoanApplicationRow {
  const { row } = change;
  const reviewedAt = row.optionalInstant("reviewed_at");
  return {
    applicationId: row.id("application_id"),
    customerId: row.id("customer_id"),
    amountRequested: row.decimal("amount_requested"),
    currency: row.has("currency") ? row.currency("currency") : defaultLoanCurrency,
    status: row.text("status", 20),
    submittedAt: row.instant("submitted_at").text,
    reviewedAt: reviewedAt?.text ?? null,
    decidedDate: reviewedAt?.day ?? null,
  };
}

export interface LoanRow {
  loanId: bigint;
  applicationId: bigint;
  customerId: bigint;
  principalAmount: string;
  outstandingBalance: string;
  currency: string;
  startDate: string;
  endDate: string;
  status: string;
  createdAt: string;
  /** The day of this outstanding balance, for the daily snapshot. */
  balanceDay: string;
}

export function toLoanRow(change: CdcChange): LoanRow {
  const { row } = change;
  return {
    loanId: row.id("loan_id"),
    applicationId: row.id("application_id"),
    customerId: row.id("customer_id"),
    principalAmount: row.decimal("principal_amount"),
    outstandingBalance: row.decimal("outstanding_balance"),
    currency: row.has("currency") ? row.currency("currency") : defaultLoanCurrency,
    startDate: row.day("start_date"),
    endDate: row.day("end_date"),
    status: row.text("status", 20),
    createdAt: row.instant("created_at").text,
    balanceDay: stateTime(change, "created_at").day,
  };
}

export interface LoanPaymentRow {
  paymentId: bigint;
  loanId: bigint;
  dueDate: string;
  paymentAmount: string;
  paidAmount: string;
  paidDate: string | null;
  status: string;
}

export function toLoanPaymentRow(change: CdcChange): LoanPaymentRow {
  const { row } = change;
  return {
    paymentId: row.id("payment_id"),
    loanId: row.id("loan_id"),
    dueDate: row.day("due_date"),
    paymentAmount: row.decimal("payment_amount"),
    paidAmount: row.has("paid_amount") ? row.decimal("paid_amount") : "0.00",
    paidDate: row.optionalDay("paid_date"),
    status: row.text("status", 20),
  };
}
