// SQL of the accounts report: a day's balance snapshots (fact_account_balance with dim_account)
// and their totals per currency, in the shape of the contract's messages.
import { z } from "zod";
import { sql, type CommonQueryMethods } from "../../runtime/database.js";

export const balanceSnapshotRow = z.object({
  snapshotId: z.bigint(),
  accountId: z.bigint(),
  customerId: z.bigint(),
  accountType: z.string(),
  date: z.string(),
  balance: z.string(),
  currency: z.string(),
});

export const balanceTotalRow = z.object({
  currency: z.string(),
  accountCount: z.bigint(),
  totalBalance: z.string(),
});

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
    SELECT f.snapshot_id AS "snapshotId", f.account_id AS "accountId", a.customer_id AS "customerId",
           a.account_type AS "accountType", f.date_id::text AS date, ROUND(f.balance, 2)::text AS balance,
           f.currency
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
    SELECT f.currency, COUNT(*) AS "accountCount", ROUND(SUM(f.balance), 2)::text AS "totalBalance"
    FROM fact_account_balance f
    JOIN dim_account a ON a.account_id = f.account_id
    WHERE f.date_id = ${day}::date
    GROUP BY f.currency
    ORDER BY f.currency
  `);
}
