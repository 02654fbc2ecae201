// SQL for applying postings: the idempotency record of each transaction id, the account locks,
// the day's withdrawals, and the one statement that books a transaction.
import { z } from "zod";
import { sql, type CommonQueryMethods } from "../../runtime/database.js";
import type { AccountStatusName } from "../account/account-repository.js";

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

/**
 * Claims a transaction id for this database transaction: true when the id was free. When another
 * transaction holds an uncommitted claim on it, this waits for that one to end: if it committed,
 * the id is taken (false); if it rolled back, the claim is ours.
 */
export async function claimTransaction(
  db: CommonQueryMethods,
  claim: { transactionId: bigint; kind: string; fingerprint: string; changedBy: string },
): Promise<boolean> {
  const row = await db.maybeOne(sql.type(z.object({ transaction_id: z.bigint() }))`
    INSERT INTO applied_transactions (transaction_id, kind, fingerprint, changed_by)
    VALUES (${claim.transactionId}, ${claim.kind}, ${claim.fingerprint}, ${claim.changedBy})
    ON CONFLICT (transaction_id) DO NOTHING
    RETURNING transaction_id
  `);
  return row !== null;
}

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

export const lockedAccountRow = z.object({
  account_id: z.bigint(),
  currency: z.string(),
  balance: z.string(),
  status: z.custom<AccountStatusName>((value) => typeof value === "string"),
  is_settlement: z.boolean(),
  overdraft_limit: z.string(),
  daily_withdrawal_limit: z.string(),
});
export type LockedAccountRow = z.infer<typeof lockedAccountRow>;

/**
 * Locks the accounts (and their settings) in account id order, so that transactions touching the
 * same accounts queue instead of deadlocking, and returns what the checks need. FOR NO KEY UPDATE
 * is FOR UPDATE without blocking foreign-key checks of rows that reference the account.
 * Accounts that do not exist are missing from the result.
 */
export async function lockAccounts(
  db: CommonQueryMethods,
  accountIds: readonly bigint[],
): Promise<readonly LockedAccountRow[]> {
  return db.any(sql.type(lockedAccountRow)`
    SELECT a.account_id, a.currency, a.balance, a.status, a.is_settlement,
           s.overdraft_limit, s.daily_withdrawal_limit
    FROM accounts a
    JOIN account_settings s ON s.account_id = a.account_id
    WHERE a.account_id = ANY(${sql.array(accountIds, "int8")})
    ORDER BY a.account_id
    FOR NO KEY UPDATE
  `);
}

/** What WITHDRAWAL postings have debited from each account since midnight UTC. */
export async function withdrawnToday(
  db: CommonQueryMethods,
  accountIds: readonly bigint[],
): Promise<Map<bigint, string>> {
  const rows = await db.any(sql.type(z.object({ account_id: z.bigint(), total: z.string() }))`
    SELECT account_id, sum(amount) AS total
    FROM postings
    WHERE account_id = ANY(${sql.array(accountIds, "int8")})
      AND kind = 'WITHDRAWAL' AND direction = 'DEBIT'
      AND posted_at >= date_trunc('day', NOW() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
    GROUP BY account_id
  `);
  return new Map(rows.map((row) => [row.account_id, row.total]));
}

/** Everything one transaction books, computed and checked by the posting service. */
export interface Booking {
  transactionId: bigint;
  kind: string;
  changedBy: string;
  /** Every posting as sent. */
  lines: ReadonlyArray<{
    accountId: bigint;
    direction: "DEBIT" | "CREDIT";
    amount: string;
    currency: string;
  }>;
  /** The new balance of every touched account. */
  balances: ReadonlyArray<{ accountId: bigint; balance: string }>;
  /** One audit entry per touched account. */
  logs: ReadonlyArray<{ accountId: bigint; oldValue: object; newValue: object }>;
  /** The result a replay returns. */
  result: StoredBalance[];
}

/**
 * Books a claimed transaction in one statement (fewer round trips while the account locks are
 * held): new balances, the postings, one BALANCE_ADJUST audit entry per account, and the result
 * on the transaction's record. Returns the record.
 */
export async function book(db: CommonQueryMethods, booking: Booking): Promise<AppliedTransactionRow> {
  const balances = sql.unnest(
    booking.balances.map((b) => [b.accountId, b.balance]),
    ["int8", "numeric"],
  );
  const lines = sql.unnest(
    booking.lines.map((l) => [l.accountId, l.direction, l.amount, l.currency]),
    ["int8", "text", "numeric", "text"],
  );
  const logs = sql.unnest(
    booking.logs.map((l) => [l.accountId, JSON.stringify(l.oldValue), JSON.stringify(l.newValue)]),
    ["int8", "jsonb", "jsonb"],
  );
  return db.one(sql.type(appliedTransactionRow)`
    WITH new_balances AS (
      UPDATE accounts AS a
      SET balance = b.balance, updated_at = NOW()
      FROM ${balances} AS b (account_id, balance)
      WHERE a.account_id = b.account_id
      RETURNING a.account_id
    ), booked_lines AS (
      INSERT INTO postings (transaction_id, account_id, direction, amount, currency, kind)
      SELECT ${booking.transactionId}, l.account_id, l.direction, l.amount, l.currency, ${booking.kind}
      FROM ${lines} AS l (account_id, direction, amount, currency)
      RETURNING posting_id
    ), audit AS (
      INSERT INTO account_logs (account_id, change_type, old_value, new_value, changed_by)
      SELECT g.account_id, 'BALANCE_ADJUST', g.old_value, g.new_value, ${booking.changedBy}
      FROM ${logs} AS g (account_id, old_value, new_value)
      RETURNING log_id
    )
    UPDATE applied_transactions
    SET balances = ${sql.jsonb(booking.result)}
    WHERE transaction_id = ${booking.transactionId}
    RETURNING ${appliedColumns}
  `);
}
