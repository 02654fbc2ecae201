// SQL of the accounts report: a day's balance snapshots (fact_account_balance with dim_account)
// and their totals per currency.
import { z } from "zod";
import { sql, type CommonQueryMethods } from "../../runtime/database.js";

export const balanceSnapshotRow = z.object({
  snapshot_id: z.bigint(),
  account_id: z.bigint(),
  customer_id: z.bigint(),
  account_type: z.string(),
  date_id: z.string(),
  balance: z.string(),
  currency: z.string(),
});
export type BalanceSnapshotRow = z.infer<typeof balanceSnapshotRow>;

export const balanceTotalRow = z.object({
  currency: z.string(),
  account_count: z.bigint(),
  total_balance: z.string(),
});
export type BalanceTotalRow = z.infer<typeof balanceTotalRow>;

/** Up to `limit` snapshots of the day after the account id, ordered by account id. */
export function findBalanceSnapshots(
  db: CommonQueryMethods,
  query: { day: string; afterAccountId?: bigint; limit: number },
) {
  const after =
    query.afterAccountId !== undefined
      ? sql.fragment`AND f.account_id > ${query.afterAccountId}`
      : sql.fragment``;
  return db.any(sql.type(balanceSnapshotRow)`
    SELECT f.snapshot_id, f.account_id, a.customer_id, a.account_type, f.date_id, f.balance, f.currency
    FROM fact_account_balance f
    JOIN dim_account a ON a.account_id = f.account_id
    WHERE f.date_id = ${query.day}::date ${after}
    ORDER BY f.account_id
    LIMIT ${query.limit}
  `);
}

/** The day's snapshot count and balance sum per currency, over all accounts. */
export function findBalanceTotals(db: CommonQueryMethods, day: string) {
  return db.any(sql.type(balanceTotalRow)`
    SELECT f.currency, COUNT(*) AS account_count, SUM(f.balance) AS total_balance
    FROM fact_account_balance f
    JOIN dim_account a ON a.account_id = f.account_id
    WHERE f.date_id = ${day}::date
    GROUP BY f.currency
    ORDER BY f.currency
  `);
}
