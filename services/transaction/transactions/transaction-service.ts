// The business rules of the Transaction service: who may move and see which money, what each
// mutation records and posts, how replays answer, and how lists are filtered and paged.
import { Code } from "@connectrpc/connect";
import { UniqueIntegrityConstraintViolationError } from "slonik";
import type {
  DepositRequest,
  ListAccountTransactionsRequest,
  ReverseTransactionRequest,
  SearchTransactionsRequest,
  TransferRequest,
  WithdrawRequest,
} from "../../../gen/ts/fidalex/transaction/v1/transaction_service_pb.js";
import { isStaff, type Principal } from "../../runtime/auth.js";
import { sql, type DatabasePool, type DatabaseTransactionConnection } from "../../runtime/database.js";
import { domainError, invalidArgument } from "../../runtime/errors.js";
import { formatAmount, money } from "../../runtime/money.js";
import { decodePageToken, encodePageToken, pageSize } from "../../runtime/pagination.js";
import type { AccountDirectory } from "../accounts/account-directory.js";
import type { IdempotencyScope } from "../idempotency/idempotency-repository.js";
import { requestFingerprint } from "../idempotency/request-fingerprint.js";
import { serviceActor, type TransactionSaga } from "../saga/transaction-saga.js";
import { storedStatus, storedType } from "./transaction-mapper.js";
import {
  findTransaction,
  listAudit,
  listTransactions,
  lockTransaction,
  type AuditRow,
  type NewTransaction,
  type StoredPosting,
  type TransactionFilter,
  type TransactionRow,
} from "./transaction-repository.js";

/** What the service needs. */
export interface TransactionServiceDeps {
  db: DatabasePool;
  saga: TransactionSaga;
  accounts: AccountDirectory;
  /** How long a replay of a PENDING transaction waits for it to settle before answering PENDING. */
  replayWaitMs?: number;
}

/** A page of transactions and the token of the next one (empty when there is none). */
export interface TransactionPage {
  rows: readonly TransactionRow[];
  nextPageToken: string;
}

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

/** Staff and mesh services act for the bank; everyone else only for their own customer. */
function actsForBank(principal: Principal): boolean {
  return isStaff(principal) || principal.roles.has("SERVICE");
}

function requireStaff(principal: Principal): void {
  if (!isStaff(principal)) {
    throw domainError(Code.PermissionDenied, "PERMISSION_DENIED", "only bank staff may do this");
  }
}

function permissionDenied(what: string) {
  return domainError(Code.PermissionDenied, "PERMISSION_DENIED", `the caller may not reach this ${what}`);
}

function notFound(what: string) {
  return domainError(Code.NotFound, `${what.toUpperCase()}_NOT_FOUND`, `no ${what} has this id`);
}

/** The audit trail's name for a principal, e.g. "user:42" or "svc:payment". */
function actorOf(principal: Principal): string {
  return /^[0-9]+$/.test(principal.subject) ? `user:${principal.subject}` : principal.subject;
}

/** A date filter `YYYY-MM-DD` as the UTC midnight it starts, or INVALID_ARGUMENT when not a real date. */
function parseDate(field: string, value: string): Date | undefined {
  if (value === "") return undefined;
  const [y, m, d] = value.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    throw invalidArgument([{ field, description: "must be a real date" }]);
  }
  return date;
}

const dayMs = 24 * 3600 * 1000;

/** Creates the service. */
export function createTransactionService(deps: TransactionServiceDeps) {
  const { db, saga, accounts } = deps;
  const replayWaitMs = deps.replayWaitMs ?? 3_000;

  /** PERMISSION_DENIED unless the principal may debit the account; NOT_FOUND when it does not exist. */
  const requireMayDebit = async (principal: Principal, accountId: bigint, signal?: AbortSignal) => {
    const owner = await accounts.ownerOf(accountId, signal);
    if (actsForBank(principal)) {
      if (owner === null) throw notFound("account");
      return;
    }
    // A customer learns nothing about accounts that are not theirs, not even whether they exist.
    if (owner === null || principal.customerId === undefined || owner !== principal.customerId) {
      throw permissionDenied("account");
    }
  };

  const requireAccount = async (accountId: bigint, signal?: AbortSignal) => {
    if ((await accounts.ownerOf(accountId, signal)) === null) throw notFound("account");
  };

  /** Whether a customer owns either account of a transaction. */
  const customerSees = async (principal: Principal, row: TransactionRow, signal?: AbortSignal) => {
    if (principal.customerId === undefined) return false;
    for (const id of [row.account_id, row.related_account_id]) {
      if (id !== null && (await accounts.ownerOf(id, signal)) === principal.customerId) return true;
    }
    return false;
  };

  /** Settles a just-recorded (or replayed, still PENDING) transaction and answers like the RPC. */
  const conclude = async (recorded: { row: TransactionRow; replayed: boolean }, signal?: AbortSignal) => {
    let row = recorded.row;
    if (row.status === "PENDING") {
      const settled = await saga.settle(row.transaction_id, {
        actor: serviceActor,
        signal,
        // The first request applies at once; a replay waits for an earlier attempt to settle.
        replayWaitMs: recorded.replayed ? replayWaitMs : undefined,
      });
      row = settled?.row ?? row;
    }
    if (row.status === "FAILED") throw failureError(row);
    return row;
  };

  const metadataOf = (principal: Principal) => ({ initiated_by: actorOf(principal) });

  const posting = (
    accountId: bigint,
    direction: StoredPosting["direction"],
    amount: string,
    currency: string,
  ) => ({
    account_id: String(accountId),
    direction,
    amount,
    currency,
  });

  return {
    /** Transfer: a customer only from their own account; the TRANSFER transaction (SUCCESS or PENDING). */
    async transfer(
      principal: Principal,
      req: TransferRequest,
      signal?: AbortSignal,
    ): Promise<TransactionRow> {
      await requireMayDebit(principal, req.fromAccountId, signal);
      await requireAccount(req.toAccountId, signal);
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
        build: async () => ({
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
          initiatedBy: actorOf(principal),
        }),
      });
      return conclude(recorded, signal);
    },

    /** Deposit (staff only): credits the account against the settlement account. */
    async deposit(principal: Principal, req: DepositRequest, signal?: AbortSignal): Promise<TransactionRow> {
      return cashMovement(principal, req, "DEPOSIT", signal);
    },

    /** Withdraw (staff only): debits the account against the settlement account. */
    async withdraw(
      principal: Principal,
      req: WithdrawRequest,
      signal?: AbortSignal,
    ): Promise<TransactionRow> {
      return cashMovement(principal, req, "WITHDRAWAL", signal);
    },

    /** ReverseTransaction (staff only): the new REVERSAL and the original, both as they are now. */
    async reverse(
      principal: Principal,
      req: ReverseTransactionRequest,
      signal?: AbortSignal,
    ): Promise<{ reversal: TransactionRow; original: TransactionRow }> {
      requireStaff(principal);
      if (!(await findTransaction(db, req.transactionId))) throw notFound("transaction");
      let recorded;
      try {
        recorded = await saga.record({
          scope: { kind: "TRANSACTION", id: req.transactionId },
          key: req.idempotencyKey,
          fingerprint: requestFingerprint("REVERSAL", [req.transactionId, req.reason]),
          build: (tx) => buildReversal(tx, principal, req),
        });
      } catch (error) {
        // Backstop of the check in buildReversal: the unique index on live reversals.
        if (error instanceof UniqueIntegrityConstraintViolationError) throw notReversible();
        throw error;
      }
      const reversal = await conclude(recorded, signal);
      const original = await findTransaction(db, req.transactionId);
      if (!original) throw new Error(`reversed transaction ${req.transactionId} vanished`);
      return { reversal, original };
    },

    /** GetTransaction: the transaction and its audit trail, if the principal may see it. */
    async get(
      principal: Principal,
      transactionId: bigint,
      signal?: AbortSignal,
    ): Promise<{ row: TransactionRow; audit: readonly AuditRow[] }> {
      const row = await findTransaction(db, transactionId);
      if (actsForBank(principal)) {
        if (!row) throw notFound("transaction");
      } else if (!row || !(await customerSees(principal, row, signal))) {
        // Permission before existence: a customer cannot probe other customers' transaction ids.
        throw permissionDenied("transaction");
      }
      return { row, audit: await listAudit(db, transactionId) };
    },

    /** ListAccountTransactions: one account's transactions, newest first. */
    async listForAccount(
      principal: Principal,
      req: ListAccountTransactionsRequest,
      signal?: AbortSignal,
    ): Promise<TransactionPage> {
      if (actsForBank(principal)) await requireAccount(req.accountId, signal);
      else {
        const owner = await accounts.ownerOf(req.accountId, signal);
        if (owner === null || owner !== principal.customerId) throw permissionDenied("account");
      }
      const filter: TransactionFilter = {
        accountIds: [req.accountId],
        status: storedStatus(req.status),
        type: storedType(req.transactionType),
        ...dateRange(req.dateFrom, req.dateTo),
      };
      const filterKey = requestFingerprint("ListAccountTransactions", [
        req.accountId,
        req.status,
        req.transactionType,
        req.dateFrom,
        req.dateTo,
      ]);
      return page(filter, filterKey, req.pageSize, req.pageToken);
    },

    /** SearchTransactions: staff search everything, a customer only their own accounts. */
    async search(
      principal: Principal,
      req: SearchTransactionsRequest,
      signal?: AbortSignal,
    ): Promise<TransactionPage> {
      const filterKey = requestFingerprint("SearchTransactions", [
        req.accountId,
        req.status,
        req.transactionType,
        req.dateFrom,
        req.dateTo,
        req.minAmount === "" ? "" : formatAmount(money(req.minAmount)),
        req.maxAmount === "" ? "" : formatAmount(money(req.maxAmount)),
      ]);
      let accountIds: bigint[] | undefined = req.accountId === 0n ? undefined : [req.accountId];
      if (!actsForBank(principal)) {
        if (req.accountId !== 0n) {
          const owner = await accounts.ownerOf(req.accountId, signal);
          if (owner === null || owner !== principal.customerId) throw permissionDenied("account");
        } else {
          accountIds =
            principal.customerId === undefined ? [] : await accounts.accountsOf(principal.customerId, signal);
        }
      }
      const filter: TransactionFilter = {
        accountIds,
        status: storedStatus(req.status),
        type: storedType(req.transactionType),
        minAmount: req.minAmount || undefined,
        maxAmount: req.maxAmount || undefined,
        ...dateRange(req.dateFrom, req.dateTo),
      };
      // Decoded before the shortcut below, so a bad token is refused even for an empty result.
      if (accountIds?.length === 0) {
        decodeCursor(req.pageToken, filterKey);
        return { rows: [], nextPageToken: "" };
      }
      return page(filter, filterKey, req.pageSize, req.pageToken);
    },
  };

  async function cashMovement(
    principal: Principal,
    req: DepositRequest | WithdrawRequest,
    type: "DEPOSIT" | "WITHDRAWAL",
    signal?: AbortSignal,
  ): Promise<TransactionRow> {
    requireStaff(principal);
    await requireAccount(req.accountId, signal);
    if (await accounts.isSettlementAccount(req.accountId, signal)) {
      throw invalidArgument([
        { field: "account_id", description: "must not be one of the bank's settlement accounts" },
      ]);
    }
    const amount = formatAmount(money(req.amount));
    const customerSide = type === "DEPOSIT" ? "CREDIT" : "DEBIT";
    const bankSide = type === "DEPOSIT" ? "DEBIT" : "CREDIT";
    const fingerprint = requestFingerprint(type, [req.accountId, amount, req.currency, req.description]);
    const scope: IdempotencyScope = { kind: "ACCOUNT", id: req.accountId };
    // The settlement account is looked up before recording; a replay reuses the recorded postings.
    const settlementAccountId = await accounts.settlementAccount(req.currency, signal);
    if (settlementAccountId === null) {
      throw domainError(
        Code.FailedPrecondition,
        "CURRENCY_NOT_SETTLED",
        "the bank takes no cash in this currency",
        { currency: req.currency },
      );
    }
    const recorded = await saga.record({
      scope,
      key: req.idempotencyKey,
      fingerprint,
      build: async () => ({
        accountId: req.accountId,
        relatedAccountId: null,
        type,
        amount,
        currency: req.currency,
        description: req.description || null,
        metadata: metadataOf(principal),
        reversalOf: null,
        postingKind: type,
        postings: [
          posting(req.accountId, customerSide, amount, req.currency),
          posting(settlementAccountId, bankSide, amount, req.currency),
        ],
        initiatedBy: actorOf(principal),
      }),
    });
    return conclude(recorded, signal);
  }

  /** Builds the REVERSAL of a SUCCESS transaction, holding the original's row lock. */
  async function buildReversal(
    tx: DatabaseTransactionConnection,
    principal: Principal,
    req: ReverseTransactionRequest,
  ): Promise<NewTransaction> {
    const original = await lockTransaction(tx, req.transactionId);
    if (!original) throw notFound("transaction");
    if (original.status !== "SUCCESS" || original.transaction_type === "REVERSAL") throw notReversible();
    const live = await tx.exists(sql.unsafe`
      SELECT 1 FROM transactions WHERE reversal_of_transaction_id = ${original.transaction_id} AND status <> 'FAILED'
    `);
    if (live) throw notReversible();
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
      initiatedBy: actorOf(principal),
    };
  }

  async function page(
    filter: TransactionFilter,
    filterKey: string,
    requestedSize: number,
    pageToken: string,
  ): Promise<TransactionPage> {
    const limit = pageSize(requestedSize);
    const after = decodeCursor(pageToken, filterKey);
    const rows = await listTransactions(db, filter, { after, limit: limit + 1 });
    if (rows.length <= limit) return { rows, nextPageToken: "" };
    const shown = rows.slice(0, limit);
    const last = shown[shown.length - 1]!;
    return {
      rows: shown,
      nextPageToken: encodePageToken({
        t: String(last.created_us),
        id: String(last.transaction_id),
        f: filterKey.slice(0, 16),
      }),
    };
  }
}

function notReversible() {
  return domainError(
    Code.FailedPrecondition,
    "NOT_REVERSIBLE",
    "only a SUCCESS transaction that is not itself a reversal, and not being reversed, can be reversed",
  );
}

/** The created_at bounds of a date filter: from the start of date_from to the end of date_to. */
function dateRange(
  dateFrom: string,
  dateTo: string,
): Pick<TransactionFilter, "createdFrom" | "createdBefore"> {
  const from = parseDate("date_from", dateFrom);
  const to = parseDate("date_to", dateTo);
  return { createdFrom: from, createdBefore: to ? new Date(to.getTime() + dayMs) : undefined };
}

/** The cursor in a page token, checking it was issued for the same filters. */
function decodeCursor(pageToken: string, filterKey: string) {
  const key = decodePageToken(pageToken, ["t", "id", "f"]);
  if (!key) return undefined;
  if (key.f !== filterKey.slice(0, 16) || !/^-?[0-9]+$/.test(key.t) || !/^[0-9]+$/.test(key.id)) {
    throw domainError(
      Code.InvalidArgument,
      "INVALID_PAGE_TOKEN",
      "page_token is not a token this list issued for these filters",
    );
  }
  return { createdUs: BigInt(key.t), transactionId: BigInt(key.id) };
}
