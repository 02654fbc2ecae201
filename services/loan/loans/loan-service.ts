// Loans as their owners and staff read them, and the one mapper from stored loans and
// installments to the contract's Loan and LoanInstallment messages.
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import {
  LoanDisbursementStatus,
  LoanInstallmentSchema,
  LoanInstallmentStatus,
  LoanSchema,
  LoanStatus,
  type Loan,
  type LoanInstallment,
} from "../../../gen/ts/fidalex/loan/v1/loan_pb.js";
import type { ListLoanPaymentsRequest } from "../../../gen/ts/fidalex/loan/v1/loan_service_pb.js";
import { reachableResource } from "../../runtime/access.js";
import type { Principal } from "../../runtime/auth.js";
import type { CommonQueryMethods } from "../../runtime/database.js";
import { domainError } from "../../runtime/errors.js";
import { formatAmount, money } from "../../runtime/money.js";
import { fetchPage, tokenPatterns, type Page } from "../../runtime/pagination.js";
import { findLoan, listInstallments, type InstallmentRow, type LoanRow } from "./loan-repository.js";

/** The Loan message of a stored loan. */
export function toLoan(row: LoanRow): Loan {
  return create(LoanSchema, {
    loanId: row.loan_id,
    applicationId: row.application_id,
    customerId: row.customer_id,
    principalAmount: formatAmount(money(row.principal_amount)),
    outstandingBalance: formatAmount(money(row.outstanding_balance)),
    interestRate: money(row.interest_rate).toFixed(3),
    currency: row.currency,
    startDate: row.start_date,
    endDate: row.end_date,
    status: LoanStatus[row.status],
    disbursementAccountId: row.disbursement_account_id,
    createdAt: timestampFromDate(row.created_at),
    updatedAt: timestampFromDate(row.updated_at),
    disbursementStatus: LoanDisbursementStatus[row.disbursement_status],
    disbursementTransactionId: row.disbursement_transaction_id ?? 0n,
  });
}

/** The LoanInstallment message of a stored installment. */
export function toInstallment(row: InstallmentRow): LoanInstallment {
  return create(LoanInstallmentSchema, {
    paymentId: row.payment_id,
    loanId: row.loan_id,
    dueDate: row.due_date,
    paymentAmount: formatAmount(money(row.payment_amount)),
    paidAmount: formatAmount(money(row.paid_amount)),
    paidDate: row.paid_date ?? "",
    status: LoanInstallmentStatus[row.status],
  });
}

/** NOT_FOUND for a loan id nothing has, for callers allowed to learn that. */
export function loanNotFound() {
  return domainError(Code.NotFound, "LOAN_NOT_FOUND", "no loan has this id");
}

/** The loan for a caller allowed to see it: its customer, staff or a mesh service. */
export function loanFor(
  db: CommonQueryMethods,
  principal: Principal,
  loanId: bigint,
  options: { lock?: boolean } = {},
) {
  return reachableResource(
    principal,
    "loan",
    () => findLoan(db, loanId, options),
    (loan) => loan.customer_id,
    loanNotFound,
  );
}

/** One page of a loan's schedule, earliest due date first. */
export async function loanSchedulePage(
  db: CommonQueryMethods,
  principal: Principal,
  req: ListLoanPaymentsRequest,
): Promise<Page<InstallmentRow>> {
  await loanFor(db, principal, req.loanId);
  return fetchPage(
    req,
    { n: tokenPatterns.id },
    (after, limit) => listInstallments(db, req.loanId, after ? Number(after.n) : 0, limit),
    (row) => ({ n: String(row.installment_number) }),
  );
}
