// Money moves only through the Transaction service: the Loan service's payouts and repayments are
// Transfers under its SERVICE token with an idempotency key derived from their cause, so sending
// one again (a retry, a replay, a second instance) returns the first result and moves the money
// once. The gateway also reads an account's recent transactions for the history features.
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import {
  TransactionStatus,
  TransactionType,
  type Transaction,
} from "../../../gen/ts/fidalex/transaction/v1/transaction_pb.js";
import { TransactionService } from "../../../gen/ts/fidalex/transaction/v1/transaction_service_pb.js";
import { ErrorInfoSchema } from "../../../gen/ts/google/rpc/error_details_pb.js";
import { downstreamError, isTransientFailure } from "../../runtime/downstream.js";
import type { HistoryTransaction } from "../credit/history-features.js";

/** A transfer to send. */
export interface TransferOrder {
  fromAccountId: bigint;
  toAccountId: bigint;
  /** A decimal string with two fraction digits. */
  amount: string;
  currency: string;
  /** Derived from the cause, e.g. "loan-12-disbursement"; 1 to 64 characters of [A-Za-z0-9_-]. */
  idempotencyKey: string;
  description: string;
}

/**
 * What became of a transfer: it moved the money, its outcome is not known yet (send it again
 * later with the same key), or it was refused for good with the Transaction service's reason.
 */
export type TransferOutcome =
  | { status: "SUCCESS"; transactionId: bigint }
  | { status: "PENDING"; transactionId: bigint }
  | { status: "FAILED"; reason: string; transactionId: bigint | null };

/** The Transaction service, as the Loan service uses it. */
export interface TransferGateway {
  /** Sends the transfer; throws UNAVAILABLE when the outcome could not be learned at all. */
  transfer(order: TransferOrder, signal?: AbortSignal): Promise<TransferOutcome>;
  /** The account's transactions created from `dateFrom` to `dateTo` (YYYY-MM-DD, inclusive). */
  accountTransactions(
    accountId: bigint,
    dateFrom: string,
    dateTo: string,
    signal?: AbortSignal,
  ): Promise<HistoryTransaction[]>;
}

const historyTypes: Partial<Record<TransactionType, HistoryTransaction["type"]>> = {
  [TransactionType.DEPOSIT]: "DEPOSIT",
  [TransactionType.WITHDRAWAL]: "WITHDRAWAL",
  [TransactionType.TRANSFER]: "TRANSFER",
  [TransactionType.FEE]: "FEE",
  [TransactionType.REVERSAL]: "REVERSAL",
};

function historyTransaction(txn: Transaction): HistoryTransaction {
  return {
    transactionId: txn.transactionId,
    accountId: txn.accountId,
    relatedAccountId: txn.relatedAccountId,
    type: historyTypes[txn.transactionType] ?? "OTHER",
    moved: txn.status === TransactionStatus.SUCCESS || txn.status === TransactionStatus.REVERSED,
    amount: txn.amount,
    createdAt: txn.createdAt ? timestampDate(txn.createdAt) : new Date(0),
    reversalOf: txn.reversalOfTransactionId,
  };
}

/** The refusals of a transfer that no retry can change. */
const finalRefusals = new Set([Code.FailedPrecondition, Code.NotFound, Code.InvalidArgument]);

/** Creates the gateway over a transport that carries this service's SERVICE token. */
export function createTransferGateway(
  transport: Transport,
  options: { timeoutMs: number; maxHistoryPages?: number },
): TransferGateway {
  const client = createClient(TransactionService, transport);
  const maxPages = options.maxHistoryPages ?? 20;
  return {
    async transfer(order, signal) {
      try {
        const { transaction } = await client.transfer(order, { timeoutMs: options.timeoutMs, signal });
        const transactionId = transaction?.transactionId ?? 0n;
        return transaction?.status === TransactionStatus.SUCCESS
          ? { status: "SUCCESS", transactionId }
          : { status: "PENDING", transactionId };
      } catch (error) {
        const err = ConnectError.from(error);
        if (!isTransientFailure(err) && finalRefusals.has(err.code)) {
          const info = err.findDetails(ErrorInfoSchema)[0];
          const id = info?.metadata.transaction_id;
          return {
            status: "FAILED",
            reason: info?.reason ?? Code[err.code].toUpperCase(),
            transactionId: id && /^\d+$/.test(id) ? BigInt(id) : null,
          };
        }
        throw downstreamError("transaction", err);
      }
    },

    async accountTransactions(accountId, dateFrom, dateTo, signal) {
      const found: HistoryTransaction[] = [];
      let pageToken = "";
      try {
        for (let page = 0; page < maxPages; page++) {
          const res = await client.listAccountTransactions(
            { accountId, dateFrom, dateTo, pageSize: 500, pageToken },
            { timeoutMs: options.timeoutMs, signal },
          );
          found.push(...res.transactions.map(historyTransaction));
          pageToken = res.nextPageToken;
          if (pageToken === "") break;
        }
      } catch (error) {
        throw downstreamError("transaction", error);
      }
      return found;
    },
  };
}
