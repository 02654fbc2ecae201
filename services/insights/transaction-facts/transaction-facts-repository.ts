// SQL of the transaction facts: fact_transactions by day range, keyset-ordered by day and id,
// selected in the shape of the contract's TransactionFact.
import { z } from "zod";
import { sql, type CommonQueryMethods } from "../../runtime/database.js";

export const transactionFactRow = z.object({
  transactionId: z.bigint(),
  accountId: z.bigint(),
  branchId: z.number(),
  date: z.string(),
  amount: z.string(),
  currency: z.string(),
  transactionType: z.string(),
  status: z.string(),
});

/** Up to `limit` facts of the range after the (day, id) key; branchId 0 means every branch. */
export function findTransactionFacts(
  db: CommonQueryMethods,
  query: {
    start: string;
    end: string;
    branchId: number;
    after?: { day: string; transactionId: bigint };
    limit: number;
  },
) {
  const branch = query.branchId !== 0 ? sql.fragment`AND branch_id = ${query.branchId}` : sql.fragment``;
  const after = query.after
    ? sql.fragment`AND (date_id, transaction_id) > (${query.after.day}::date, ${query.after.transactionId})`
    : sql.fragment``;
  return db.any(sql.type(transactionFactRow)`
    SELECT transaction_id AS "transactionId", account_id AS "accountId", branch_id AS "branchId",
           date_id::text AS date, ROUND(amount, 2)::text AS amount, currency,
           transaction_type AS "transactionType", status
    FROM fact_transactions
    WHERE date_id BETWEEN ${query.start}::date AND ${query.end}::date AND NOT is_deleted ${branch} ${after}
    ORDER BY date_id, transaction_id
    LIMIT ${query.limit}
  `);
}
