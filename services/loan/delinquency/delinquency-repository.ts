// SQL of the daily delinquency run: the claim of a day's run and the ageing of installments and
// loans as of that day. Functions take the connection first.
import { z } from "zod";
import { sql, type CommonQueryMethods } from "../../runtime/database.js";

/**
 * Claims the run of a day: inserts its row, or returns false when the day's run exists already.
 * Inside the run's transaction, a second instance claiming the same day waits for the first to
 * commit and then finds the row, so each day is run once.
 */
export async function claimRun(db: CommonQueryMethods, runDate: string): Promise<boolean> {
  const claimed = await db.maybeOne(sql.type(z.object({ run_date: z.string() }))`
    INSERT INTO loan_delinquency_runs (run_date) VALUES (${runDate}::date)
    ON CONFLICT (run_date) DO NOTHING
    RETURNING run_date
  `);
  return claimed !== null;
}

/** The loans whose installments age: paid out and not closed. */
const agingLoans = sql.fragment`
  SELECT loan_id FROM loan_accounts WHERE status IN ('ACTIVE', 'DEFAULTED') AND disbursement_status = 'DISBURSED'
`;

/** DUE installments whose due date has passed become LATE; returns how many. */
export async function markLate(db: CommonQueryMethods, runDate: string): Promise<number> {
  const result = await db.query(sql.unsafe`
    UPDATE loan_payments SET status = 'LATE'
    WHERE status = 'DUE' AND due_date < ${runDate}::date AND loan_id IN (${agingLoans})
  `);
  return result.rowCount;
}

/** Unpaid installments more than `graceDays` past their due date become DEFAULTED. */
export async function markInstallmentsDefaulted(db: CommonQueryMethods, runDate: string, graceDays: number) {
  const result = await db.query(sql.unsafe`
    UPDATE loan_payments SET status = 'DEFAULTED'
    WHERE status IN ('DUE', 'LATE') AND due_date < ${runDate}::date - ${graceDays}::int
      AND loan_id IN (${agingLoans})
  `);
  return result.rowCount;
}

/** ACTIVE loans with a DEFAULTED installment become DEFAULTED; returns how many. */
export async function markLoansDefaulted(db: CommonQueryMethods): Promise<number> {
  const result = await db.query(sql.unsafe`
    UPDATE loan_accounts l SET status = 'DEFAULTED', updated_at = NOW()
    WHERE l.status = 'ACTIVE'
      AND EXISTS (SELECT 1 FROM loan_payments p WHERE p.loan_id = l.loan_id AND p.status = 'DEFAULTED')
  `);
  return result.rowCount;
}

/** Records what the day's run did. */
export async function finishRun(
  db: CommonQueryMethods,
  runDate: string,
  counts: { late: number; defaulted: number; loans: number },
) {
  await db.query(sql.unsafe`
    UPDATE loan_delinquency_runs
    SET finished_at = NOW(), installments_late = ${counts.late}, installments_defaulted = ${counts.defaulted},
        loans_defaulted = ${counts.loans}
    WHERE run_date = ${runDate}::date
  `);
}
