// SQL of the recovery worker's claims: the unfinished items of a table (applications SUBMITTED,
// payouts and repayments PENDING) whose last attempt is older than a cutoff, stamped as attempted
// now in the claiming transaction. SKIP LOCKED leaves rows another instance is claiming to it, and
// the new stamp keeps them from being claimed again until the cutoff has passed once more.
import { z } from "zod";
import type { FragmentSqlToken } from "slonik";
import { sql, type CommonQueryMethods } from "../../runtime/database.js";

/** A kind of unfinished work: its table, id column, attempt stamp and what unfinished means. */
export interface StaleWork {
  table: string;
  id: string;
  attemptedAt: string;
  unfinished: FragmentSqlToken;
}

/** Applications whose assessment did not finish. */
export const staleAssessments: StaleWork = {
  table: "loan_applications",
  id: "application_id",
  attemptedAt: "assessment_attempted_at",
  unfinished: sql.fragment`status = 'SUBMITTED'`,
};

/** Loans whose payout has not settled. */
export const stalePayouts: StaleWork = {
  table: "loan_accounts",
  id: "loan_id",
  attemptedAt: "disbursement_last_attempt_at",
  unfinished: sql.fragment`disbursement_status = 'PENDING'`,
};

/** Repayments whose debit has not settled. */
export const staleRepayments: StaleWork = {
  table: "loan_repayments",
  id: "repayment_id",
  attemptedAt: "last_attempt_at",
  unfinished: sql.fragment`status = 'PENDING'`,
};

/** Claims up to `limit` items of the kind last attempted more than `minAgeSeconds` ago. */
export function claimStale(db: CommonQueryMethods, work: StaleWork, minAgeSeconds: number, limit: number) {
  const table = sql.identifier([work.table]);
  const id = sql.identifier([work.id]);
  const attemptedAt = sql.identifier([work.attemptedAt]);
  return db.anyFirst(sql.type(z.object({ id: z.bigint() }))`
    UPDATE ${table} SET ${attemptedAt} = NOW()
    WHERE ${id} IN (
      SELECT ${id} FROM ${table}
      WHERE ${work.unfinished} AND ${attemptedAt} < NOW() - make_interval(secs => ${minAgeSeconds})
      ORDER BY ${attemptedAt}
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING ${id} AS id
  `);
}
