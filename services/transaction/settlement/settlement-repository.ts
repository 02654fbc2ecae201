// The saga's SQL on its hot path, one statement per step where the step writes several tables:
// recording a transaction (its row, CREATED audit entry and idempotency key) and completing one
// (its status, audit entry, balance snapshots and transaction.completed outbox row). Each is a
// data-modifying WITH, atomic like the separate statements it replaces, in one round trip.
import type { DescMessage } from "@bufbuild/protobuf";
import { z } from "zod";
import { sql, type CommonQueryMethods } from "../../runtime/database.js";
import { outboxInsert, type OutboxEvent } from "../../runtime/outbox.js";
import {
  transactionColumns,
  transactionRow,
  type NewTransaction,
  type TransactionRow,
} from "../transactions/transaction-repository.js";
import type { IdempotencyScope } from "./idempotency-repository.js";

/**
 * Records a PENDING transaction, its CREATED audit entry and its idempotency key, or nothing when
 * the key is already taken in its scope (null): a concurrent request with the same key that has
 * not committed yet is waited for, as by a plain INSERT.
 */
export function recordPending(
  db: CommonQueryMethods,
  request: { scope: IdempotencyScope; key: string; fingerprint: string; actor: string },
  txn: NewTransaction,
): Promise<TransactionRow | null> {
  const { scope, key, fingerprint, actor } = request;
  return db.maybeOne(sql.type(transactionRow)`
    WITH new_id AS (
      SELECT nextval(pg_get_serial_sequence('transactions', 'transaction_id')) AS transaction_id
    ), keyed AS (
      INSERT INTO idempotency_keys (scope_kind, scope_id, idempotency_key, request_fingerprint, transaction_id)
      SELECT ${scope.kind}, ${scope.id}::bigint, ${key}, ${fingerprint}, transaction_id FROM new_id
      ON CONFLICT DO NOTHING
      RETURNING transaction_id
    ), recorded AS (
      INSERT INTO transactions (transaction_id, account_id, related_account_id, transaction_type, amount,
                                currency, status, description, metadata, reversal_of_transaction_id,
                                posting_kind, postings, initiated_by)
      SELECT transaction_id, ${txn.accountId}::bigint, ${txn.relatedAccountId}::bigint, ${txn.type}, ${txn.amount}::numeric,
             ${txn.currency}, 'PENDING', ${txn.description}::text,
             ${txn.metadata === null ? null : sql.jsonb(txn.metadata)}::jsonb, ${txn.reversalOf}::bigint,
             ${txn.postingKind}, ${sql.jsonb(txn.postings)}, ${txn.initiatedBy}
        FROM keyed
      RETURNING ${transactionColumns}
    ), audited AS (
      INSERT INTO transaction_audit (transaction_id, audit_event, old_status, new_status, changed_by)
      SELECT transaction_id, 'CREATED', NULL, 'PENDING', ${actor} FROM recorded
    )
    SELECT * FROM recorded
  `);
}

/**
 * Locks a transaction's row for the rest of the database transaction and returns it with the
 * database transaction's time (NOW(), the completed_at a completion in it records). With
 * skipLocked, a row another session holds is skipped (null) instead of waited for.
 */
export function lockForSettlement(
  db: CommonQueryMethods,
  id: bigint,
  options: { skipLocked?: boolean } = {},
): Promise<(TransactionRow & { now: Date }) | null> {
  const lock = options.skipLocked ? sql.fragment`FOR UPDATE SKIP LOCKED` : sql.fragment`FOR UPDATE`;
  return db.maybeOne(sql.type(transactionRow.extend({ now: z.date() }))`
    SELECT ${transactionColumns}, NOW() AS now FROM transactions WHERE transaction_id = ${id} ${lock}
  `);
}

/**
 * Moves a PENDING transaction to SUCCESS or FAILED at NOW(), with its STATUS_UPDATED audit entry,
 * the balances the Account service reported and its completion event, all only if it was still
 * PENDING; returns it as it is now, or null when it was not PENDING (nothing written).
 */
export function completePending<Desc extends DescMessage>(
  db: CommonQueryMethods,
  completion: {
    id: bigint;
    outcome: { status: "SUCCESS" } | { status: "FAILED"; failureReason: string };
    actor: string;
    balances: ReadonlyArray<{ accountId: bigint; balance: string }>;
    event: OutboxEvent<Desc>;
  },
): Promise<TransactionRow | null> {
  const { id, outcome, actor, balances, event } = completion;
  const reason = outcome.status === "FAILED" ? outcome.failureReason : null;
  const snapshots = sql.unnest(
    balances.map((b) => [b.accountId, b.balance]),
    ["int8", "numeric"],
  );
  return db.maybeOne(sql.type(transactionRow)`
    WITH completed AS (
      UPDATE transactions
         SET status = ${outcome.status}, failure_reason = ${reason}, completed_at = NOW()
       WHERE transaction_id = ${id} AND status = 'PENDING'
      RETURNING ${transactionColumns}
    ), audited AS (
      INSERT INTO transaction_audit (transaction_id, audit_event, old_status, new_status, changed_by)
      SELECT transaction_id, 'STATUS_UPDATED', 'PENDING', status, ${actor} FROM completed
    ), snapshotted AS (
      INSERT INTO transaction_balance_snapshot (account_id, balance_snapshot, transaction_id)
      SELECT b.account_id, b.balance, c.transaction_id
        FROM completed c, ${snapshots} AS b (account_id, balance)
    ), published AS (
      ${outboxInsert(event, sql.fragment`EXISTS (SELECT 1 FROM completed)`)}
    )
    SELECT * FROM completed
  `);
}
