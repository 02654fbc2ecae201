// SQL of the daily summary: mv_daily_branch_summary joined with dim_branch for names and regions.
import { z } from "zod";
import { sql, type CommonQueryMethods } from "../../runtime/database.js";

export const dailySummaryRow = z.object({
  date_id: z.string(),
  branch_id: z.number(),
  branch_name: z.string().nullable(),
  region: z.string().nullable(),
  currency: z.string(),
  total_transactions: z.bigint(),
  total_volume: z.string(),
  total_success_volume: z.string(),
});
export type DailySummaryRow = z.infer<typeof dailySummaryRow>;

/** Up to `limit` rows of the day after the (branch, currency) key, ordered by branch then currency. */
export function findDailySummaryRows(
  db: CommonQueryMethods,
  query: { day: string; after?: { branchId: number; currency: string }; limit: number },
) {
  const after = query.after
    ? sql.fragment`AND (s.branch_id, s.currency) > (${query.after.branchId}, ${query.after.currency}::char(3))`
    : sql.fragment``;
  return db.any(sql.type(dailySummaryRow)`
    SELECT s.date_id, s.branch_id, b.branch_name, b.region, s.currency, s.total_transactions, s.total_volume,
           s.total_success_volume
    FROM mv_daily_branch_summary s
    LEFT JOIN dim_branch b ON b.branch_id = s.branch_id
    WHERE s.date_id = ${query.day}::date ${after}
    ORDER BY s.branch_id, s.currency
    LIMIT ${query.limit}
  `);
}
