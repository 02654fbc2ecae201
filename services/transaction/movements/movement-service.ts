// The rules of moving money: who may transfer, deposit, withdraw and reverse, what each records
// and posts, and how replays answer. Every movement is recorded and settled by the settlement
// saga (../settlement), which has the Account service apply its postings.
import { Code } from "@connectrpc/connect";
import type {
  DepositRequest,
  ReverseTransactionRequest,
  TransferRequest,
  WithdrawRequest,
} from "../../../gen/ts/fidalex/transaction/v1/transaction_service_pb.js";
import { actorName, refuseOwnRecord, requireStaff } from "../../runtime/access.js";
import {
  approvalNotFound,
  assertSameRequest,
  decideApproval,
  findApprovalByKey,
  needsApproval,
  requestApproval,
  type ApprovalRow,
} from "../../runtime/approvals.js";
import type { Principal } from "../../runtime/auth.js";
import { withConstraintErrors } from "../../runtime/database-errors.js";
import type { DatabasePool, DatabaseTransactionConnection } from "../../runtime/database.js";
import { domainError, invalidArgument } from "../../runtime/errors.js";
import { formatAmount, money } from "../../runtime/money.js";
import { requestFingerprint } from "../../runtime/request-fingerprint.js";
import { notFound, type AccountAccess } from "../../runtime/account-access.js";
import type { AccountDirectory } from "../../runtime/account-directory.js";
import type { IdempotencyScope } from "../settlement/idempotency-repository.js";
import { serviceActor, type Recorded, type SettlementSaga } from "../settlement/settlement-saga.js";
import {
  findTransaction,
  hasLiveReversal,
  lockTransaction,
  type NewTransaction,
  type StoredPosting,
  type TransactionRow,
} from "../transactions/transaction-repository.js";

/** What the movements need. */
export interface MovementServiceDeps {
  db: DatabasePool;
  saga: SettlementSaga;
  directory: AccountDirectory;
  access: AccountAccess;
  /** How long a replay of a PENDING transaction waits for it to settle before answering PENDING. */
  replayWaitMs?: number;
  /** Cash movements above this amount wait for a second staff member; none do when unset. */
  cashApprovalThreshold?: string;
}

/** A cash movement's outcome: its transaction, or the approval it waits for. */
export type CashOutcome = { transaction: TransactionRow } | { approval: ApprovalRow };

/** Messages of the reasons a transaction is refused, for the error a client reads. */
const failureMessages: Record<string, string> = {
  INSUFFICIENT_FUNDS: "the balance plus overdraft limit does not cover the amount",
  ACCOUNT_NOT_ACTIVE: "an account involved is not active",
  CURRENCY_MISMATCH: "the currency differs from the account's currency",
  DAILY_LIMIT_EXCEEDED: "the daily withdrawal limit would be exceeded",
  ACCOUNT_NOT_FOUND: "an account involved does not exist",
};

/**
 * The error a FAILED transaction answers with, the first time and on every replay: the reason
 * recorded as failure_reason, and the transaction's id in the ErrorInfo metadata.
 */
export function failureError(row: TransactionRow) {
  const reason = row.failure_reason ?? "TRANSACTION_FAILED";
  return domainError(
    reason === "ACCOUNT_NOT_FOUND" ? Code.NotFound : Code.FailedPrecondition,
    reason,
    failureMessages[reason] ?? "the transaction was refused",
    { transaction_id: String(row.transaction_id) },
  );
}

function notReversible() {
  return domainError(
    Code.FailedPrecondition,
    "NOT_REVERSIBLE",
    "only a SUCCESS transaction that is not itself a reversal, and not being reversed, can be reversed",
  );
}

function posting(accountId: bigint, direction: StoredPosting["direction"], amount: string, currency: string) {
  return { account_id: String(accountId), direction, amount, currency };
}

/** Creates the movements. */
export function createMovementService(deps: MovementServiceDeps) {
  const { db, saga, directory, access, cashApprovalThreshold } = deps;
  const replayWaitMs = deps.replayWaitMs ?? 3_000;

  /** Settles a just-recorded (or replayed, still PENDING) transaction and answers like the RPC. */
  const conclude = async (recorded: Recorded, signal?: AbortSignal) => {
    let row = recorded.row;
    if (row.status === "PENDING") {
      const settled = await saga.settle(row.transaction_id, {
        actor: serviceActor,
        signal,
        // The first request applies at once; a replay waits for an earlier attempt to settle.
        replayWaitMs: recorded.replayed ? replayWaitMs : undefined,
        recorded: recorded.replayed ? undefined : row,
      });
      row = settled?.row ?? row;
    }
    if (row.status === "FAILED") throw failureError(row);
    return row;
  };

  const metadataOf = (principal: Principal) => ({ initiated_by: actorName(principal) });

  /**
   * Segregation of duties for staff acting on an account: not on their own. A mesh service acts
   * for the bank and has no accounts.
   */
  const refuseOwnAccount = async (principal: Principal, accountId: bigint | null, signal?: AbortSignal) => {
    if (accountId === null || principal.customerId === undefined) return;
    refuseOwnRecord(principal, await directory.ownerOf(accountId, signal));
  };

  const cashFingerprint = (type: "DEPOSIT" | "WITHDRAWAL", req: DepositRequest | WithdrawRequest) =>
    requestFingerprint(type, [req.accountId, formatAmount(money(req.amount)), req.currency, req.description]);

  /**
   * Deposit or withdrawal (staff only, not on their own accounts): the account against the bank's
   * settlement account. Above the approval threshold it waits for a second staff member, unless
   * `approval` (APPROVED) is given; a request whose approval was given replays its transaction.
   */
  const cashMovement = async (
    principal: Principal,
    req: DepositRequest | WithdrawRequest,
    type: "DEPOSIT" | "WITHDRAWAL",
    signal?: AbortSignal,
    approved?: ApprovalRow,
  ): Promise<CashOutcome> => {
    requireStaff(principal);
    await access.requireAccount(req.accountId, signal);
    await refuseOwnAccount(principal, req.accountId, signal);
    if (await directory.isSettlementAccount(req.accountId, signal)) {
      throw invalidArgument([
        { field: "account_id", description: "must not be one of the bank's settlement accounts" },
      ]);
    }
    const amount = formatAmount(money(req.amount));
    const fingerprint = cashFingerprint(type, req);
    if (!approved && cashApprovalThreshold !== undefined && needsApproval(amount, cashApprovalThreshold)) {
      const existing = await findApprovalByKey(db, req.accountId, req.idempotencyKey);
      if (existing) assertSameRequest(existing, fingerprint);
      if (existing?.status !== "APPROVED") {
        const approval =
          existing ??
          (await requestApproval(db, principal, {
            action: type,
            accountId: req.accountId,
            amount,
            currency: req.currency,
            request: {
              accountId: String(req.accountId),
              amount,
              currency: req.currency,
              description: req.description,
              idempotencyKey: req.idempotencyKey,
            },
            key: { value: req.idempotencyKey, fingerprint },
          }));
        return { approval };
      }
      approved = existing;
    }
    const customerSide = type === "DEPOSIT" ? "CREDIT" : "DEBIT";
    const bankSide = type === "DEPOSIT" ? "DEBIT" : "CREDIT";
    // The settlement account is looked up before recording; a replay reuses the recorded postings.
    const settlementAccountId = await directory.settlementAccount(req.currency, signal);
    if (settlementAccountId === null) {
      throw domainError(
        Code.FailedPrecondition,
        "CURRENCY_NOT_SETTLED",
        "the bank takes no cash in this currency",
        {
          currency: req.currency,
        },
      );
    }
    // Four eyes: the transaction names the staff member who asked and the one who approved.
    const initiatedBy = approved?.requested_by ?? actorName(principal);
    const metadata = approved
      ? {
          initiated_by: initiatedBy,
          approved_by: approved.decided_by ?? "",
          approval_id: String(approved.approval_id),
        }
      : metadataOf(principal);
    const recorded = await saga.record({
      scope: { kind: "ACCOUNT", id: req.accountId },
      key: req.idempotencyKey,
      fingerprint,
      transaction: {
        accountId: req.accountId,
        relatedAccountId: null,
        type,
        amount,
        currency: req.currency,
        description: req.description || null,
        metadata,
        reversalOf: null,
        postingKind: type,
        postings: [
          posting(req.accountId, customerSide, amount, req.currency),
          posting(settlementAccountId, bankSide, amount, req.currency),
        ],
        initiatedBy,
      },
    });
    return { transaction: await conclude(recorded, signal) };
  };

  /** Approves (as the second staff member) or rejects a pending cash movement. */
  const decideCash = async (principal: Principal, approvalId: bigint, decision: "APPROVED" | "REJECTED") => {
    const decided = await db.transaction((tx) =>
      decideApproval(tx, principal, approvalId, decision, async (row) => {
        if (row.action !== "DEPOSIT" && row.action !== "WITHDRAWAL") throw approvalNotFound();
        await refuseOwnAccount(principal, row.account_id);
      }),
    );
    return decided.approval;
  };

  /** Builds the REVERSAL of a SUCCESS transaction, holding the original's row lock. */
  const buildReversal = async (
    tx: DatabaseTransactionConnection,
    principal: Principal,
    req: ReverseTransactionRequest,
  ): Promise<NewTransaction> => {
    const original = await lockTransaction(tx, req.transactionId);
    if (!original) throw notFound("transaction");
    if (original.status !== "SUCCESS" || original.transaction_type === "REVERSAL") throw notReversible();
    if (await hasLiveReversal(tx, original.transaction_id)) throw notReversible();
    return {
      accountId: original.account_id,
      relatedAccountId: original.related_account_id,
      type: "REVERSAL",
      amount: original.amount,
      currency: original.currency,
      description: req.reason,
      metadata: metadataOf(principal),
      reversalOf: original.transaction_id,
      postingKind: "REVERSAL",
      postings: original.postings.map((p) => ({
        ...p,
        direction: p.direction === "DEBIT" ? "CREDIT" : "DEBIT",
      })),
      initiatedBy: actorName(principal),
    };
  };

  return {
    /** Transfer: a customer only from their own account; the TRANSFER transaction (SUCCESS or PENDING). */
    async transfer(
      principal: Principal,
      req: TransferRequest,
      signal?: AbortSignal,
    ): Promise<TransactionRow> {
      await access.requireOwnAccount(principal, req.fromAccountId, signal);
      await access.requireAccount(req.toAccountId, signal);
      const amount = formatAmount(money(req.amount));
      const scope: IdempotencyScope = { kind: "ACCOUNT", id: req.fromAccountId };
      const recorded = await saga.record({
        scope,
        key: req.idempotencyKey,
        fingerprint: requestFingerprint("TRANSFER", [
          req.fromAccountId,
          req.toAccountId,
          amount,
          req.currency,
          req.description,
        ]),
        transaction: {
          accountId: req.fromAccountId,
          relatedAccountId: req.toAccountId,
          type: "TRANSFER",
          amount,
          currency: req.currency,
          description: req.description || null,
          metadata: metadataOf(principal),
          reversalOf: null,
          postingKind: "TRANSFER",
          postings: [
            posting(req.fromAccountId, "DEBIT", amount, req.currency),
            posting(req.toAccountId, "CREDIT", amount, req.currency),
          ],
          initiatedBy: actorName(principal),
        },
      });
      return conclude(recorded, signal);
    },

    /** Deposit (staff only): credits the account against the settlement account. */
    deposit: (principal: Principal, req: DepositRequest, signal?: AbortSignal) =>
      cashMovement(principal, req, "DEPOSIT", signal),

    /** Withdraw (staff only): debits the account against the settlement account. */
    withdraw: (principal: Principal, req: WithdrawRequest, signal?: AbortSignal) =>
      cashMovement(principal, req, "WITHDRAWAL", signal),

    /**
     * ApproveCashMovement: a second staff member approves a pending deposit or withdrawal, which
     * is then carried out (or replayed, when approved before) under the maker's idempotency key.
     */
    async approveCash(
      principal: Principal,
      approvalId: bigint,
      signal?: AbortSignal,
    ): Promise<{ transaction: TransactionRow; approval: ApprovalRow }> {
      const approval = await decideCash(principal, approvalId, "APPROVED");
      const r = approval.request as Record<string, string>;
      const req = {
        accountId: BigInt(r.accountId!),
        amount: r.amount!,
        currency: r.currency!,
        description: r.description ?? "",
        idempotencyKey: r.idempotencyKey!,
      } as DepositRequest;
      const outcome = await cashMovement(principal, req, approval.action as "DEPOSIT", signal, approval);
      if (!("transaction" in outcome)) throw new Error(`approved movement ${approvalId} not carried out`);
      return { transaction: outcome.transaction, approval };
    },

    /** RejectCashMovement: a second staff member rejects a pending deposit or withdrawal. */
    rejectCash: (principal: Principal, approvalId: bigint) => decideCash(principal, approvalId, "REJECTED"),

    /** ReverseTransaction (staff only): the new REVERSAL and the original, both as they are now. */
    async reverse(
      principal: Principal,
      req: ReverseTransactionRequest,
      signal?: AbortSignal,
    ): Promise<{ reversal: TransactionRow; original: TransactionRow }> {
      requireStaff(principal);
      const target = await findTransaction(db, req.transactionId);
      if (!target) throw notFound("transaction");
      await refuseOwnAccount(principal, target.account_id, signal);
      await refuseOwnAccount(principal, target.related_account_id, signal);
      // The unique index on live reversals backs up the check in buildReversal against races.
      const recorded = await withConstraintErrors({ uq_transactions_reversal_of: notReversible }, () =>
        saga.record({
          scope: { kind: "TRANSACTION", id: req.transactionId },
          key: req.idempotencyKey,
          fingerprint: requestFingerprint("REVERSAL", [req.transactionId, req.reason]),
          build: (tx) => buildReversal(tx, principal, req),
        }),
      );
      const reversal = await conclude(recorded, signal);
      const original = await findTransaction(db, req.transactionId);
      if (!original) throw new Error(`reversed transaction ${req.transactionId} vanished`);
      return { reversal, original };
    },
  };
}

/** The movements of a running service. */
export type MovementService = ReturnType<typeof createMovementService>;
