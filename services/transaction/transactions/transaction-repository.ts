// SQL of the transactions, their audit trail and balance snapshots. Functions take the connection
// (pool or transaction) first; business rules live in the movements and the reads.
import { z } from "zod";
import { sql, type CommonQueryMethods } from "../../runtime/database.js";
import { newestFirstQuery, type NewestFirstCursor } from "../../runtime/pagination.js";

/** A status as stored (CHECK chk_tran_status). */
export type StoredStatus = "PENDING" | "SUCCESS" | "FAILED" | "REVERSED";
/** A transaction type as stored (CHECK chk_tran_type). */
export type StoredType = "DEPOSIT" | "WITHDRAWAL" | "TRANSFER" | "FEE" | "REVERSAL";
/** An audit event as stored (CHECK chk_ta_event). */
export type StoredAuditEvent = "CREATED" | "STATUS_UPDATED" | "REVERSED";

/** One posting as recorded with its transaction (account ids as decimal strings in JSON). */
export const storedPosting = z.object({
  account_id: z.string(),
  direction: z.enum(["DEBIT", "CREDIT"]),
  amount: z.string(),
  currency: z.string(),
});
export type StoredPosting = z.infer<typeof storedPosting>;

/** A row of `transactions`, with the keyset cursor of its page position. */
export const transactionRow = z.object({
  transaction_id: z.bigint(),
  account_id: z.bigint(),
  related_account_id: z.bigint().nullable(),
  transaction_type: z.enum(["DEPOSIT", "WITHDRAWAL", "TRANSFER", "FEE", "REVERSAL"]),
  amount: z.string(),
  currency: z.string(),
  status: z.enum(["PENDING", "SUCCESS", "FAILED", "REVERSED"]),
  created_at: z.date(),
  completed_at: z.date().nullable(),
  description: z.string().nullable(),
  metadata: z.record(z.unknown()).nullable(),
  failure_reason: z.string().nullable(),
  reversal_of_transaction_id: z.bigint().nullable(),
  reversed_by_transaction_id: z.bigint().nullable(),
  posting_kind: z.string(),
  postings: z.array(storedPosting),
  initiated_by: z.string(),
  last_attempt_at: z.date().nullable(),
  attempts: z.number(),
  /** created_at in microseconds since the epoch: exact, unlike a JavaScript Date. */
  created_us: z.bigint(),
});
export type TransactionRow = z.infer<typeof transactionRow>;

/** A row of `transaction_audit`. */
export const auditRow = z.object({
  audit_id: z.bigint(),
  transaction_id: z.bigint(),
  audit_event: z.enum(["CREATED", "STATUS_UPDATED", "REVERSED"]),
  old_status: z.enum(["PENDING", "SUCCESS", "FAILED", "REVERSED"]).nullable(),
  new_status: z.enum(["PENDING", "SUCCESS", "FAILED", "REVERSED"]).nullable(),
  changed_by: z.string(),
  event_ts: z.date(),
});
export type AuditRow = z.infer<typeof auditRow>;

/** The columns of a TransactionRow, for SELECT and RETURNING. */
export const transactionColumns = sql.fragment`
  transaction_id, account_id, related_account_id, transaction_type, amount, currency, status,
  created_at, completed_at, description, metadata, failure_reason, reversal_of_transaction_id,
  reversed_by_transaction_id, posting_kind, postings, initiated_by, last_attempt_at, attempts,
  (EXTRACT(EPOCH FROM created_at) * 1000000)::BIGINT AS created_us
`;

/** What a new PENDING transaction is made of. */
export interface NewTransaction {
  accountId: bigint;
  relatedAccountId: bigint | null;
  type: StoredType;
  amount: string;
  currency: string;
  description: string | null;
  metadata: Record<string, string> | null;
  reversalOf: bigint | null;
  postingKind: string;
  postings: StoredPosting[];
  initiatedBy: string;
}

/** Inserts a PENDING transaction and returns it. */
export function insertTransaction(db: CommonQueryMethods, txn: NewTransaction): Promise<TransactionRow> {
  return db.one(sql.type(transactionRow)`
    INSERT INTO transactions (account_id, related_account_id, transaction_type, amount, currency, status,
                              description, metadata, reversal_of_transaction_id, posting_kind, postings,
                              initiated_by)
    VALUES (${txn.accountId}, ${txn.relatedAccountId}, ${txn.type}, ${txn.amount}, ${txn.currency}, 'PENDING',
            ${txn.description}, ${txn.metadata === null ? null : sql.jsonb(txn.metadata)}, ${txn.reversalOf},
            ${txn.postingKind}, ${sql.jsonb(txn.postings)}, ${txn.initiatedBy})
    RETURNING ${transactionColumns}
  `);
}

/** Appends an entry to a transaction's audit trail. */
export async function insertAudit(
  db: CommonQueryMethods,
  entry: {
    transactionId: bigint;
    event: StoredAuditEvent;
    oldStatus: StoredStatus | null;
    newStatus: StoredStatus;
    changedBy: string;
  },
): Promise<void> {
  await db.query(sql.unsafe`
    INSERT INTO transaction_audit (transaction_id, audit_event, old_status, new_status, changed_by)
    VALUES (${entry.transactionId}, ${entry.event}, ${entry.oldStatus}, ${entry.newStatus}, ${entry.changedBy})
  `);
}

/** The transaction with this id, or null. */
export function findTransaction(db: CommonQueryMethods, id: bigint): Promise<TransactionRow | null> {
  return db.maybeOne(
    sql.type(transactionRow)`SELECT ${transactionColumns} FROM transactions WHERE transaction_id = ${id}`,
  );
}

/**
 * Locks the transaction's row for the rest of the database transaction and returns it. With
 * skipLocked, a row another session holds is skipped (null) instead of waited for.
 */
export function lockTransaction(
  db: CommonQueryMethods,
  id: bigint,
  options: { skipLocked?: boolean } = {},
): Promise<TransactionRow | null> {
  const lock = options.skipLocked ? sql.fragment`FOR UPDATE SKIP LOCKED` : sql.fragment`FOR UPDATE`;
  return db.maybeOne(sql.type(transactionRow)`
    SELECT ${transactionColumns} FROM transactions WHERE transaction_id = ${id} ${lock}
  `);
}

/**
 * Moves a PENDING transaction to SUCCESS or FAILED. The update is conditional on PENDING, so a
 * transaction completes once however many paths try; null when it was no longer PENDING.
 */
export function completeTransaction(
  db: CommonQueryMethods,
  id: bigint,
  outcome: { status: "SUCCESS" } | { status: "FAILED"; failureReason: string },
): Promise<TransactionRow | null> {
  const reason = outcome.status === "FAILED" ? outcome.failureReason : null;
  return db.maybeOne(sql.type(transactionRow)`
    UPDATE transactions
       SET status = ${outcome.status}, failure_reason = ${reason}, completed_at = NOW()
     WHERE transaction_id = ${id} AND status = 'PENDING'
    RETURNING ${transactionColumns}
  `);
}

/** Marks a SUCCESS transaction REVERSED by a reversal; null when it was not SUCCESS. */
export function markReversed(
  db: CommonQueryMethods,
  id: bigint,
  reversalId: bigint,
): Promise<TransactionRow | null> {
  return db.maybeOne(sql.type(transactionRow)`
    UPDATE transactions
       SET status = 'REVERSED', reversed_by_transaction_id = ${reversalId}
     WHERE transaction_id = ${id} AND status = 'SUCCESS'
    RETURNING ${transactionColumns}
  `);
}

/**
 * Whether the transaction's last attempt to apply its postings (or its creation, when none ended
 * without an outcome) is more than the given seconds ago: a call still in flight has settled.
 */
export async function isQuietFor(db: CommonQueryMethods, id: bigint, seconds: number): Promise<boolean> {
  return db.oneFirst(sql.type(z.object({ quiet: z.boolean() }))`
    SELECT COALESCE(last_attempt_at, created_at) < NOW() - ${seconds} * INTERVAL '1 second' AS quiet
      FROM transactions WHERE transaction_id = ${id}
  `);
}

/** Whether a reversal of the transaction is pending or done (a FAILED one does not count). */
export function hasLiveReversal(db: CommonQueryMethods, originalId: bigint): Promise<boolean> {
  return db.exists(sql.unsafe`
    SELECT 1 FROM transactions WHERE reversal_of_transaction_id = ${originalId} AND status <> 'FAILED'
  `);
}

/** Records an attempt to apply the postings that ended without an outcome. */
export async function recordInconclusiveAttempt(db: CommonQueryMethods, id: bigint): Promise<void> {
  await db.query(sql.unsafe`
    UPDATE transactions SET attempts = attempts + 1, last_attempt_at = NOW()
     WHERE transaction_id = ${id} AND status = 'PENDING'
  `);
}

/** Records the balances the Account service reported right after a transaction's postings. */
export async function insertBalanceSnapshots(
  db: CommonQueryMethods,
  transactionId: bigint,
  balances: Array<{ accountId: bigint; balance: string }>,
): Promise<void> {
  if (balances.length === 0) return;
  await db.query(sql.unsafe`
    INSERT INTO transaction_balance_snapshot (account_id, balance_snapshot, transaction_id)
    SELECT account_id, balance, ${transactionId}
      FROM ${sql.unnest(
        balances.map((b) => [b.accountId, b.balance]),
        ["int8", "numeric"],
      )} AS b(account_id, balance)
  `);
}

/** A transaction's audit trail, oldest first. */
export function listAudit(db: CommonQueryMethods, transactionId: bigint): Promise<readonly AuditRow[]> {
  return db.any(sql.type(auditRow)`
    SELECT audit_id, transaction_id, audit_event, old_status, new_status, changed_by, event_ts
      FROM transaction_audit WHERE transaction_id = ${transactionId}
     ORDER BY event_ts, audit_id
  `);
}

/** The filters of a transaction list; unset fields match everything. */
export interface TransactionFilter {
  /** Transactions touching one of these accounts (as account_id or related_account_id). */
  accountIds?: readonly bigint[];
  status?: StoredStatus;
  type?: StoredType;
  /** Created on or after this instant. */
  createdFrom?: Date;
  /** Created before this instant. */
  createdBefore?: Date;
  minAmount?: string;
  maxAmount?: string;
}

/** One page of transactions matching the filter, newest first (created_at, then id). */
export function listTransactions(
  db: CommonQueryMethods,
  filter: TransactionFilter,
  page: { after?: NewestFirstCursor; limit: number },
): Promise<readonly TransactionRow[]> {
  const conditions = [];
  if (filter.accountIds) {
    const ids = sql.array(filter.accountIds, "int8");
    conditions.push(sql.fragment`(account_id = ANY(${ids}) OR related_account_id = ANY(${ids}))`);
  }
  if (filter.status) conditions.push(sql.fragment`status = ${filter.status}`);
  if (filter.type) conditions.push(sql.fragment`transaction_type = ${filter.type}`);
  if (filter.createdFrom) conditions.push(sql.fragment`created_at >= ${sql.timestamp(filter.createdFrom)}`);
  if (filter.createdBefore)
    conditions.push(sql.fragment`created_at < ${sql.timestamp(filter.createdBefore)}`);
  if (filter.minAmount) conditions.push(sql.fragment`amount >= ${filter.minAmount}::numeric`);
  if (filter.maxAmount) conditions.push(sql.fragment`amount <= ${filter.maxAmount}::numeric`);
  const list = {
    select: transactionColumns,
    from: sql.fragment`transactions`,
    time: "created_at",
    id: "transaction_id",
  };
  return db.any(sql.type(transactionRow)`${newestFirstQuery({ ...list, where: conditions, ...page })}`);
}

/** Ids of PENDING transactions whose last attempt (or creation) is older than minAgeSeconds. */
export function findStalePending(
  db: CommonQueryMethods,
  minAgeSeconds: number,
  limit: number,
): Promise<readonly bigint[]> {
  return db.anyFirst(sql.type(z.object({ transaction_id: z.bigint() }))`
    SELECT transaction_id FROM transactions
     WHERE status = 'PENDING'
       AND created_at < NOW() - ${minAgeSeconds} * INTERVAL '1 second'
       AND (last_attempt_at IS NULL OR last_attempt_at < NOW() - ${minAgeSeconds} * INTERVAL '1 second')
     ORDER BY created_at
     LIMIT ${limit}
  `);
}
