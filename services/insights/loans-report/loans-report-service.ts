// The loans report: one LoanReport per currency. Loans still owing at the end of the range count
// as activity too, so a currency whose book is open is reported even in a quiet range.
import { create } from "@bufbuild/protobuf";
import { LoanReportSchema } from "../../../gen/ts/fidalex/insights/v1/loan_report_pb.js";
import type { CommonQueryMethods } from "../../runtime/database.js";
import { findLoanReportRows } from "./loans-report-repository.js";

/** The report of the range, one entry per currency. */
export async function getLoansReport(db: CommonQueryMethods, range: { start: string; end: string }) {
  const rows = await findLoanReportRows(db, range);
  return { loanReports: rows.map((row) => create(LoanReportSchema, row)) };
}
