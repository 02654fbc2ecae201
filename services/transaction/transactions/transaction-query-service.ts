// Reading transactions: one with its audit trail, one account's history, and the search. Staff
// and mesh services read everything; a customer reads transactions touching their own accounts.
import type {
  ListAccountTransactionsRequest,
  SearchTransactionsRequest,
} from "../../../gen/ts/fidalex/transaction/v1/transaction_service_pb.js";
import { actsForBank, permissionDenied } from "../../runtime/access.js";
import type { Principal } from "../../runtime/auth.js";
import { requestDayStart } from "../../runtime/calendar.js";
import type { DatabasePool } from "../../runtime/database.js";
import { formatAmount, money } from "../../runtime/money.js";
import { pageSize, readPageToken, toPage, tokenPatterns, type Page } from "../../runtime/pagination.js";
import { requestFingerprint } from "../../runtime/request-fingerprint.js";
import { notFound, type AccountAccess } from "../../runtime/account-access.js";
import type { AccountDirectory } from "../../runtime/account-directory.js";
import { storedStatus, storedType } from "./transaction-mapper.js";
import {
  findTransaction,
  listAudit,
  listTransactions,
  type AuditRow,
  type PageCursor,
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

/**
 * The cursor in a page token. The token carries the first 16 hex digits of the filters'
 * fingerprint, so a token is refused for other filters than the ones it was issued for.
 */
function readCursor(pageToken: string, filterKey: string): PageCursor | undefined {
  const key = readPageToken(pageToken, {
    t: tokenPatterns.integer,
    id: tokenPatterns.id,
    f: new RegExp(`^${filterKey.slice(0, 16)}$`),
  });
  return key && { createdUs: BigInt(key.t), transactionId: BigInt(key.id) };
}

/** Creates the reads. */
export function createTransactionQueryService(deps: TransactionQueryDeps) {
  const { db, directory, access } = deps;

  const page = async (
    filter: TransactionFilter,
    filterKey: string,
    requestedSize: number,
    pageToken: string,
  ): Promise<Page<TransactionRow>> => {
    const limit = pageSize(requestedSize);
    const after = readCursor(pageToken, filterKey);
    const rows = await listTransactions(db, filter, { after, limit: limit + 1 });
    return toPage(rows, limit, (row) => ({
      t: String(row.created_us),
      id: String(row.transaction_id),
      f: filterKey.slice(0, 16),
    }));
  };

  return {
    /** GetTransaction: the transaction and its audit trail, if the principal may see it. */
    async get(
      principal: Principal,
      transactionId: bigint,
      signal?: AbortSignal,
    ): Promise<{ row: TransactionRow; audit: readonly AuditRow[] }> {
      const row = await findTransaction(db, transactionId);
      if (actsForBank(principal)) {
        if (!row) throw notFound("transaction");
      } else if (
        !row ||
        !(await access.customerSees(principal, [row.account_id, row.related_account_id], signal))
      ) {
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
      return page(filter, filterKey, req.pageSize, req.pageToken);
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
      // Read before the shortcut below, so a bad token is refused even for an empty result.
      if (accountIds?.length === 0) {
        readCursor(req.pageToken, filterKey);
        return { items: [], nextPageToken: "" };
      }
      return page(filter, filterKey, req.pageSize, req.pageToken);
    },
  };
}

/** The reads of a running service. */
export type TransactionQueryService = ReturnType<typeof createTransactionQueryService>;
