// SQL of the loans report: disbursements (dim_loan.start_date), repayments (fact_loan_payments.
// paid_date), decisions (dim_loan_application.decided_date) within the range, and the loans still
// owing at its end (each loan's latest fact_loan_balance snapshot on or before the end), in the
// shape of the contract's LoanReport.
import { z } from "zod";
import { sql, type CommonQueryMethods } from "../../runtime/database.js";
import { defaultLoanCurrency } from "../loader/warehouse-rows.js";

export const loanReportRow = z.object({
  currency: z.string(),
  disbursedCount: z.bigint(),
  disbursedAmount: z.string(),
  repaymentCount: z.bigint(),
  repaymentAmount: z.string(),
  approvedCount: z.bigint(),
  rejectedCount: z.bigint(),
  outstandingLoanCount: z.bigint(),
  outstandingBalance: z.string(),
});

/** One row per currency with any of the figures non-zero, ordered by currency. */
export function findLoanReportRows(db: CommonQueryMethods, range: { start: string; end: string }) {
  const start = sql.fragment`${range.start}::date`;
  const end = sql.fragment`${range.end}::date`;
  return db.any(sql.type(loanReportRow)`
    WITH disbursed AS (
      SELECT currency, COUNT(*) AS n, SUM(principal_amount) AS amount
      FROM dim_loan
      WHERE NOT is_deleted AND start_date BETWEEN ${start} AND ${end}
      GROUP BY currency
    ), repaid AS (
      SELECT COALESCE(l.currency, ${defaultLoanCurrency}) AS currency, COUNT(*) AS n, SUM(p.paid_amount) AS amount
      FROM fact_loan_payments p
      LEFT JOIN dim_loan l ON l.loan_id = p.loan_id
      WHERE NOT p.is_deleted AND p.paid_amount > 0 AND p.paid_date BETWEEN ${start} AND ${end}
      GROUP BY 1
    ), decided AS (
      SELECT currency,
             COUNT(*) FILTER (WHERE status = 'APPROVED') AS approved,
             COUNT(*) FILTER (WHERE status = 'REJECTED') AS rejected
      FROM dim_loan_application
      WHERE NOT is_deleted AND status IN ('APPROVED', 'REJECTED') AND decided_date BETWEEN ${start} AND ${end}
      GROUP BY currency
    ), latest AS (
      SELECT DISTINCT ON (loan_id) loan_id, currency, outstanding_balance, status
      FROM fact_loan_balance
      WHERE date_id <= ${end}
      ORDER BY loan_id, date_id DESC
    ), outstanding AS (
      SELECT currency, COUNT(*) AS n, SUM(outstanding_balance) AS amount
      FROM latest
      WHERE outstanding_balance > 0 AND status <> 'CLOSED'
      GROUP BY currency
    ), currencies AS (
      SELECT currency FROM disbursed UNION SELECT currency FROM repaid
      UNION SELECT currency FROM decided UNION SELECT currency FROM outstanding
    )
    SELECT c.currency,
           COALESCE(d.n, 0) AS "disbursedCount", ROUND(COALESCE(d.amount, 0), 2)::text AS "disbursedAmount",
           COALESCE(r.n, 0) AS "repaymentCount", ROUND(COALESCE(r.amount, 0), 2)::text AS "repaymentAmount",
           COALESCE(a.approved, 0) AS "approvedCount", COALESCE(a.rejected, 0) AS "rejectedCount",
           COALESCE(o.n, 0) AS "outstandingLoanCount",
           ROUND(COALESCE(o.amount, 0), 2)::text AS "outstandingBalance"
    FROM currencies c
    LEFT JOIN disbursed d ON d.currency = c.currency
    LEFT JOIN repaid r ON r.currency = c.currency
    LEFT JOIN decided a ON a.currency = c.currency
    LEFT JOIN outstanding o ON o.currency = c.currency
    ORDER BY c.currency
  `);
}
