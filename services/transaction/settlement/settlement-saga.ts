// The settlement saga of a transaction (docs/architecture.md): (1) record the PENDING transaction, its CREATED audit entry
// and its idempotency key in one database transaction; (2) have the Account service apply the
// postings under our transaction id (idempotent there); (3) in one database transaction mark it
// SUCCESS or FAILED with its audit entry, balance snapshots and `transaction.completed` outbox
// event. A crash between the steps leaves a PENDING transaction that a retry with the same key or
// the recovery worker settles.
//
// Steps (2) and (3) run while this transaction's row is locked (SELECT … FOR UPDATE), so one
// settler at a time works on a transaction: two settlers could otherwise see different answers
// from the Account service (a rejection, then a success after the balance changed) and record the
// wrong one. The lock is a database lock, so it disappears with a crashed process.
import { Code } from "@connectrpc/connect";
import { TransactionCompletedSchema } from "../../../gen/ts/fidalex/events/v1/transaction_completed_pb.js";
import type { PostingResult } from "../../../gen/ts/fidalex/account/v1/posting_pb.js";
import type { DatabasePool, DatabaseTransactionConnection } from "../../runtime/database.js";
import { domainError } from "../../runtime/errors.js";
import type { Logger } from "../../runtime/logger.js";
import { appendOutboxEvent } from "../../runtime/outbox.js";
import {
  findIdempotencyKey,
  insertIdempotencyKey,
  type IdempotencyRow,
  type IdempotencyScope,
} from "./idempotency-repository.js";
import type { PendingFlags } from "./pending-flags.js";
import { toCompletedEvent } from "../transactions/transaction-mapper.js";
import {
  findTransaction,
  insertAudit,
  insertTransaction,
  isQuietFor,
  markReversed,
  recordInconclusiveAttempt,
  type NewTransaction,
  type TransactionRow,
} from "../transactions/transaction-repository.js";
import { completePending, lockForSettlement, recordPending } from "./settlement-repository.js";
import type { PostingGateway, PostingOutcome } from "./posting-gateway.js";

/** The audit trail's name for changes made while serving a request. */
export const serviceActor = "transaction-service";
/** The audit trail's name for changes made by the recovery worker. */
export const recoveryActor = "recovery-worker";
/** The Kafka topic of the completion events. */
export const completedTopic = "transaction.completed";

/** What the saga needs. */
export interface SettlementSagaDeps {
  db: DatabasePool;
  postings: PostingGateway;
  pending: PendingFlags;
  logger: Logger;
  /**
   * How long after an attempt that ended without an outcome (or after a transaction was created)
   * a replay waits before it applies the postings again, so that a call still in flight at the
   * Account service has settled first.
   */
  settleDelaySeconds: number;
}

/**
 * A mutation to record: its idempotency key and the transaction, given as it is (recorded in one
 * statement) or built inside the recording database transaction (when building it must lock and
 * check rows, as a reversal does).
 */
export type RecordRequest = {
  scope: IdempotencyScope;
  key: string;
  fingerprint: string;
} & ({ transaction: NewTransaction } | { build(tx: DatabaseTransactionConnection): Promise<NewTransaction> });

/** A recorded transaction, new or the one an earlier request with the same key recorded. */
export interface Recorded {
  row: TransactionRow;
  replayed: boolean;
}

/** How to settle a PENDING transaction. */
export interface SettleOptions {
  /** The audit trail's changed_by for the status change. */
  actor: string;
  /** Skip the transaction (return null) when another settler holds it, instead of waiting. */
  skipLocked?: boolean;
  /** Ask GetPostingStatus first (the recovery worker: the postings may have been applied already). */
  checkStatusFirst?: boolean;
  /**
   * For replays: apply only when the last attempt (or the creation) is older than the settle
   * delay, and until then wait up to this long for the settler already at work (the first
   * request, or one that crashed) to finish, polling. Unset: apply at once.
   */
  replayWaitMs?: number;
  /** Cancels the call to the Account service (the caller's deadline). */
  signal?: AbortSignal;
  /** The transaction as this request just recorded it: spares reading it before locking it. */
  recorded?: TransactionRow;
}

/** The transaction after settling, and what the Account service said (undefined when not asked). */
export interface Settled {
  row: TransactionRow;
  outcome?: PostingOutcome;
}

/** The saga's two halves: record, then settle. */
export interface SettlementSaga {
  /**
   * Step 1: records a PENDING transaction with its CREATED audit entry and idempotency key, or
   * returns the transaction an earlier request with the same key and parameters recorded.
   * Throws ALREADY_EXISTS (IDEMPOTENCY_KEY_REUSED) when the key was used with other parameters.
   */
  record(request: RecordRequest): Promise<Recorded>;
  /**
   * Steps 2 and 3 for a PENDING transaction: applies its postings and records the outcome.
   * Returns the transaction as it is afterwards (still PENDING when the outcome is unknown), or
   * null when skipLocked is set and another settler holds it.
   */
  settle(transactionId: bigint, options: SettleOptions): Promise<Settled | null>;
}

/** Thrown inside the recording transaction when a concurrent request took the key first. */
class KeyTakenError extends Error {}

/** The transaction.completed event of a transaction that reached a final status. */
function completedEvent(row: TransactionRow, completedAt: Date) {
  return {
    topic: completedTopic,
    aggregateType: "transaction",
    aggregateId: row.transaction_id,
    schema: TransactionCompletedSchema,
    message: toCompletedEvent(row, completedAt),
  };
}

/** Creates the saga. */
export function createSettlementSaga(deps: SettlementSagaDeps): SettlementSaga {
  const { db, postings, pending: flags, logger } = deps;

  const replay = async (existing: IdempotencyRow, fingerprint: string): Promise<Recorded> => {
    if (existing.request_fingerprint !== fingerprint) {
      throw domainError(
        Code.AlreadyExists,
        "IDEMPOTENCY_KEY_REUSED",
        "this idempotency key was already used with other parameters",
        { transaction_id: String(existing.transaction_id) },
      );
    }
    const row = await findTransaction(db, existing.transaction_id);
    if (!row) throw new Error(`idempotency key points at missing transaction ${existing.transaction_id}`);
    return { row, replayed: true };
  };

  const keyTaken = async (request: RecordRequest): Promise<Recorded> => {
    const existing = await findIdempotencyKey(db, request.scope, request.key);
    if (!existing) throw new Error("idempotency key vanished after a conflict");
    return replay(existing, request.fingerprint);
  };

  const record = async (request: RecordRequest): Promise<Recorded> => {
    if ("transaction" in request) {
      const row = await recordPending(db, { ...request, actor: serviceActor }, request.transaction);
      if (!row) return keyTaken(request);
      await flags.mark(row.transaction_id);
      return { row, replayed: false };
    }
    // Two rounds at most: a request that loses the race for its key finds the winner's row.
    for (let round = 0; round < 2; round++) {
      const existing = await findIdempotencyKey(db, request.scope, request.key);
      if (existing) return replay(existing, request.fingerprint);
      try {
        const row = await db.transaction(async (tx) => {
          const inserted = await insertTransaction(tx, await request.build(tx));
          await insertAudit(tx, {
            transactionId: inserted.transaction_id,
            event: "CREATED",
            oldStatus: null,
            newStatus: "PENDING",
            changedBy: serviceActor,
          });
          // Waits for a concurrent request with the same key to commit or roll back.
          const keyed = await insertIdempotencyKey(
            tx,
            request.scope,
            request.key,
            request.fingerprint,
            inserted.transaction_id,
          );
          if (!keyed) throw new KeyTakenError();
          return inserted;
        });
        await flags.mark(row.transaction_id);
        return { row, replayed: false };
      } catch (error) {
        if (!(error instanceof KeyTakenError)) throw error;
      }
    }
    return keyTaken(request);
  };

  /**
   * Records the outcome of a locked PENDING transaction: its status, audit entry, the balances
   * the Account service reported and its completion event, in one statement; a reversal also
   * marks its original REVERSED, with the original's audit entry and event.
   */
  const finish = async (
    tx: DatabaseTransactionConnection,
    row: TransactionRow & { now: Date },
    outcome: { status: "SUCCESS"; result: PostingResult } | { status: "FAILED"; reason: string },
    actor: string,
  ): Promise<TransactionRow> => {
    const expected: TransactionRow = {
      ...row,
      status: outcome.status,
      // The column holds an ErrorInfo reason (UPPER_SNAKE, at most 63 characters by convention).
      failure_reason: outcome.status === "FAILED" ? outcome.reason.slice(0, 64) : null,
      completed_at: row.now,
    };
    const done = await completePending(tx, {
      id: row.transaction_id,
      outcome:
        outcome.status === "SUCCESS"
          ? { status: "SUCCESS" }
          : { status: "FAILED", failureReason: expected.failure_reason! },
      actor,
      balances:
        outcome.status === "SUCCESS"
          ? outcome.result.balances.map((b) => ({ accountId: b.accountId, balance: b.balance }))
          : [],
      event: completedEvent(expected, row.now),
    });
    if (!done) throw new Error(`locked PENDING transaction ${row.transaction_id} changed under its lock`);
    if (done.status === "SUCCESS" && done.reversal_of_transaction_id !== null) {
      const original = await markReversed(tx, done.reversal_of_transaction_id, done.transaction_id);
      if (!original) {
        // Recording a reversal requires a SUCCESS original and no other live reversal, and only a
        // reversal moves a SUCCESS transaction on, so this means the data was changed by hand.
        logger.error(
          { transactionId: String(done.transaction_id), original: String(done.reversal_of_transaction_id) },
          "reversal applied but its original is no longer SUCCESS; needs an operator",
        );
      } else {
        await insertAudit(tx, {
          transactionId: original.transaction_id,
          event: "REVERSED",
          oldStatus: "SUCCESS",
          newStatus: "REVERSED",
          changedBy: done.initiated_by,
        });
        await appendOutboxEvent(tx, completedEvent(original, row.now));
      }
    }
    return done;
  };

  const settleLocked = async (
    tx: DatabaseTransactionConnection,
    row: TransactionRow & { now: Date },
    options: SettleOptions,
  ): Promise<Settled> => {
    const id = row.transaction_id;
    let outcome: PostingOutcome | undefined;
    if (options.checkStatusFirst) {
      const status = await postings.status(id);
      if (status.kind !== "not_applied") outcome = status;
    }
    outcome ??= await postings.apply(row, { signal: options.signal });
    if (outcome.kind === "rejected") {
      // A refusal is final only if no earlier attempt (e.g. one that timed out on our side but
      // went on at the Account service) has committed meanwhile.
      const confirmation = await postings.status(id);
      if (confirmation.kind !== "not_applied") outcome = confirmation;
    }
    switch (outcome.kind) {
      case "applied":
        return {
          row: await finish(tx, row, { status: "SUCCESS", result: outcome.result }, options.actor),
          outcome,
        };
      case "rejected":
        if (outcome.code !== Code.FailedPrecondition) {
          logger.error(
            { transactionId: String(id), reason: outcome.reason, code: Code[outcome.code] },
            "the account service refused the postings as malformed or unknown; recorded as FAILED",
          );
        }
        return {
          row: await finish(tx, row, { status: "FAILED", reason: outcome.reason }, options.actor),
          outcome,
        };
      case "inconclusive":
        await recordInconclusiveAttempt(tx, id);
        return { row: (await findTransaction(tx, id)) ?? row, outcome };
    }
  };

  const settleOnce = async (transactionId: bigint, options: SettleOptions): Promise<Settled | null> => {
    const pending = options.recorded ?? (await findTransaction(db, transactionId));
    if (!pending) return null;
    if (pending.status !== "PENDING") return { row: pending };
    const settled = await db.transaction(async (tx): Promise<Settled | null> => {
      const row = await lockForSettlement(tx, transactionId, { skipLocked: options.skipLocked });
      if (!row) return null;
      if (row.status !== "PENDING") return { row };
      if (
        options.replayWaitMs !== undefined &&
        !(await isQuietFor(tx, transactionId, deps.settleDelaySeconds))
      )
        return { row };
      return settleLocked(tx, row, options);
    });
    if (settled?.row.status !== "PENDING" && settled?.outcome) await flags.clear(transactionId);
    if (settled?.outcome?.kind === "inconclusive") {
      const { retryable, code, error } = settled.outcome;
      const fields = {
        transactionId: String(transactionId),
        code: Code[code],
        retryable,
        cause: error instanceof Error ? error.message : String(error),
      };
      if (retryable) {
        logger.warn(fields, "postings outcome unknown (retryable); the transaction stays PENDING");
      } else {
        logger.error(
          fields,
          "postings conflict (non-retryable); the transaction stays PENDING for an operator",
        );
      }
    }
    return settled;
  };

  const settle = async (transactionId: bigint, options: SettleOptions): Promise<Settled | null> => {
    if (options.replayWaitMs === undefined) return settleOnce(transactionId, options);
    // A replay racing the request that recorded the transaction usually finds it settled within
    // milliseconds; one whose first settler died settles it itself once the delay has passed.
    const deadline = Date.now() + options.replayWaitMs;
    let pause = 20;
    for (;;) {
      const settled = await settleOnce(transactionId, options);
      if (!settled || settled.row.status !== "PENDING" || settled.outcome) return settled;
      if (Date.now() + pause > deadline || options.signal?.aborted) return settled;
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, 250);
    }
  };

  return { record, settle };
}
