// Reading transactions: one with its audit trail, one account's history, and the search. Staff
// and mesh services read everything; a customer reads transactions touching their own accounts.
import type {
  ListAccountTransactionsRequest,
  SearchTransactionsRequest,
} from "../../../gen/ts/fidalex/transaction/v1/transaction_service_pb.js";
import { actsForBank } from "../../runtime/access.js";
import type { Principal } from "../../runtime/auth.js";
import { requestDayStart } from "../../runtime/calendar.js";
import type { DatabasePool } from "../../runtime/database.js";
import { formatAmount, money } from "../../runtime/money.js";
import { fetchNewestFirst, type Page, type PageRequest } from "../../runtime/pagination.js";
import { requestFingerprint } from "../../runtime/request-fingerprint.js";
import type { AccountAccess } from "../../runtime/account-access.js";
import type { AccountDirectory } from "../../runtime/account-directory.js";
import { storedStatus, storedType } from "./transaction-mapper.js";
import {
  findTransaction,
  listAudit,
  listTransactions,
  type AuditRow,
  type TransactionFilter,
  type TransactionRow,
} from "./transaction-repository.js";

/** What the reads need. */
export interface TransactionQueryDeps {
  db: DatabasePool;
  directory: AccountDirectory;
  access: AccountAccess;
}

const dayMs = 24 * 3600 * 1000;

/** The created_at bounds of a date filter: from the start of date_from to the end of date_to. */
function dateRange(
  dateFrom: string,
  dateTo: string,
): Pick<TransactionFilter, "createdFrom" | "createdBefore"> {
  const from = requestDayStart("date_from", dateFrom);
  const to = requestDayStart("date_to", dateTo);
  return { createdFrom: from, createdBefore: to ? new Date(to.getTime() + dayMs) : undefined };
}

/** Creates the reads. */
export function createTransactionQueryService(deps: TransactionQueryDeps) {
  const { db, directory, access } = deps;

  /** A page of the filter's transactions; `none` when no account can match (the token is still checked). */
  const page = (filter: TransactionFilter, filterKey: string, request: PageRequest, none = false) =>
    fetchNewestFirst(
      request,
      filterKey,
      async (after, limit) => (none ? [] : listTransactions(db, filter, { after, limit })),
      (row) => ({ us: row.created_us, id: row.transaction_id }),
    );

  return {
    /** GetTransaction: the transaction and its audit trail, if the principal may see it. */
    async get(
      principal: Principal,
      transactionId: bigint,
      signal?: AbortSignal,
    ): Promise<{ row: TransactionRow; audit: readonly AuditRow[] }> {
      // Permission before existence: a customer cannot probe other customers' transaction ids.
      const row = await access.requireReachable(
        principal,
        await findTransaction(db, transactionId),
        (found) => [found.account_id, found.related_account_id],
        "transaction",
        signal,
      );
      return { row, audit: await listAudit(db, transactionId) };
    },

    /** ListAccountTransactions: one account's transactions, newest first. */
    async listForAccount(
      principal: Principal,
      req: ListAccountTransactionsRequest,
      signal?: AbortSignal,
    ): Promise<Page<TransactionRow>> {
      await access.requireOwnAccount(principal, req.accountId, signal);
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
      return page(filter, filterKey, req);
    },

    /** SearchTransactions: staff search everything, a customer only their own accounts. */
    async search(
      principal: Principal,
      req: SearchTransactionsRequest,
      signal?: AbortSignal,
    ): Promise<Page<TransactionRow>> {
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
          await access.requireOwnAccount(principal, req.accountId, signal);
        } else {
          accountIds =
            principal.customerId === undefined
              ? []
              : await directory.accountsOf(principal.customerId, signal);
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
      return page(filter, filterKey, req, accountIds?.length === 0);
    },
  };
}

/** The reads of a running service. */
export type TransactionQueryService = ReturnType<typeof createTransactionQueryService>;
