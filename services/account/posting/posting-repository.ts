// SQL for applying postings: the call of the database function that applies a transaction's
// postings (migrations/0004_apply_postings.sql), and the record of each applied transaction id.
import { z } from "zod";
import { sql, type CommonQueryMethods } from "../../runtime/database.js";

/** An account's balance right after a transaction, as the idempotency record keeps it. */
export const storedBalance = z.object({ account_id: z.string(), balance: z.string(), currency: z.string() });
export type StoredBalance = z.infer<typeof storedBalance>;

export const appliedTransactionRow = z.object({
  transaction_id: z.bigint(),
  kind: z.string(),
  fingerprint: z.string(),
  changed_by: z.string(),
  balances: z.array(storedBalance).nullable(),
  applied_at: z.date(),
});
export type AppliedTransactionRow = z.infer<typeof appliedTransactionRow>;

const appliedColumns = sql.fragment`transaction_id, kind, fingerprint, changed_by, balances, applied_at`;

/** The committed record of an applied transaction, or null when the id was not applied. */
export async function findAppliedTransaction(
  db: CommonQueryMethods,
  transactionId: bigint,
): Promise<AppliedTransactionRow | null> {
  return db.maybeOne(sql.type(appliedTransactionRow)`
    SELECT ${appliedColumns} FROM applied_transactions
    WHERE transaction_id = ${transactionId} AND balances IS NOT NULL
  `);
}

/** What one transaction books, as the database function takes it. */
export interface PostingRequest {
  transactionId: bigint;
  kind: string;
  fingerprint: string;
  changedBy: string;
  /** Who called (the token subject), for the audit trail. */
  caller: string;
  postings: ReadonlyArray<{
    account_id: string;
    direction: "DEBIT" | "CREDIT";
    amount: string;
    currency: string;
  }>;
}

/**
 * Applies a transaction's postings in one statement, its own database transaction: claims the id,
 * locks the accounts, checks the rules and books, or raises the refusal (SQLSTATE P0001) and
 * changes nothing. Returns the record, `replayed` when the id was applied before with the same
 * postings.
 */
export function applyPostingsInDatabase(
  db: CommonQueryMethods,
  request: PostingRequest,
): Promise<AppliedTransactionRow & { replayed: boolean }> {
  return db.one(sql.type(appliedTransactionRow.extend({ replayed: z.boolean() }))`
    SELECT ${appliedColumns}, replayed
    FROM apply_postings(${request.transactionId}, ${request.kind}, ${request.fingerprint},
                        ${request.changedBy}, ${request.caller}, ${sql.jsonb(request.postings)})
  `);
}
