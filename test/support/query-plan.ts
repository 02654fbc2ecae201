// The plan PostgreSQL chooses for a query, to show that an index serves it. Sequential and plain
// index scans are switched off for the one transaction, so a small test table cannot make the
// planner prefer a full scan: what remains shows whether the index can serve the query at all.
import type { QuerySqlToken } from "slonik";
import { sql, type DatabasePool } from "../../services/runtime/database.js";

/** EXPLAIN of the query, one line of the plan per line. */
export function queryPlan(db: DatabasePool, query: QuerySqlToken): Promise<string> {
  return db.transaction(async (tx) => {
    await tx.query(sql.unsafe`SET LOCAL enable_seqscan = off`);
    await tx.query(sql.unsafe`SET LOCAL enable_indexscan = off`);
    const rows = await tx.any({ ...query, sql: `EXPLAIN ${query.sql}` });
    return rows.map((row) => String((row as Record<string, unknown>)["QUERY PLAN"])).join("\n");
  });
}
