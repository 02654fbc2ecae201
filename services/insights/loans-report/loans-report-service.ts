// The loans report: one LoanReport per currency. Loans still owing at the end of the range count
// as activity too, so a currency whose book is open is reported even in a quiet range.
import { create } from "@bufbuild/protobuf";
import type { CommonQueryMethods } from "../../runtime/database.js";
import { formatAmount, money } from "../../runtime/money.js";
import {
  GetLoansReportResponseSchema,
  type GetLoansReportResponse,
} from "../../../gen/ts/fidalex/insights/v1/insights_service_pb.js";
import { LoanReportSchema } from "../../../gen/ts/fidalex/insights/v1/loan_report_pb.js";
import { findLoanReportRows, type LoanReportRow } from "./loans-report-repository.js";

function toLoanReport(row: LoanReportRow) {
  return create(LoanReportSchema, {
    currency: row.currency,
    disbursedCount: row.disbursed_count,
    disbursedAmount: formatAmount(money(row.disbursed_amount)),
    repaymentCount: row.repayment_count,
    repaymentAmount: formatAmount(money(row.repayment_amount)),
    approvedCount: row.approved_count,
    rejectedCount: row.rejected_count,
    outstandingLoanCount: row.outstanding_loan_count,
    outstandingBalance: formatAmount(money(row.outstanding_balance)),
  });
}

export async function getLoansReport(
  db: CommonQueryMethods,
  range: { start: string; end: string },
): Promise<GetLoansReportResponse> {
  const rows = await findLoanReportRows(db, range);
  return create(GetLoansReportResponseSchema, { loanReports: rows.map(toLoanReport) });
}
