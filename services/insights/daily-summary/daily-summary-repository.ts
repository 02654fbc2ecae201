// SQL of the daily summary: daily_branch_summary joined with dim_branch for names and regions,
// selected in the shape of the contract's DailyBranchSummary.
import { z } from "zod";
import { sql, type CommonQueryMethods } from "../../runtime/database.js";

export const dailySummaryRow = z.object({
  date: z.string(),
  branchId: z.number(),
  branchName: z.string(),
  region: z.string(),
  currency: z.string(),
  totalTransactions: z.bigint(),
  totalVolume: z.string(),
  totalSuccessVolume: z.string(),
});

/** Up to `limit` rows of the day after the (branch, currency) key, ordered by branch then currency. */
export function findDailySummaryRows(
  db: CommonQueryMethods,
  query: { day: string; after?: { branchId: number; currency: string }; limit: number },
) {
  const after = query.after
    ? sql.fragment`AND (s.branch_id, s.currency) > (${query.after.branchId}, ${query.after.currency}::char(3))`
    : sql.fragment``;
  return db.any(sql.type(dailySummaryRow)`
    SELECT s.date_id::text AS date, s.branch_id AS "branchId", COALESCE(b.branch_name, '') AS "branchName",
           COALESCE(b.region, '') AS region, s.currency, s.total_transactions AS "totalTransactions",
           ROUND(s.total_volume, 2)::text AS "totalVolume",
           ROUND(s.total_success_volume, 2)::text AS "totalSuccessVolume"
    FROM daily_branch_summary s
    LEFT JOIN dim_branch b ON b.branch_id = s.branch_id
    WHERE s.date_id = ${query.day}::date ${after}
    ORDER BY s.branch_id, s.currency
    LIMIT ${query.limit}
  `);
}
