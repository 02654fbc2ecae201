// Transport of TransactionService: reads the principal, hands the request to the service with the
// call's abort signal (so deadlines reach the Account service), and shapes the responses.
import type { ServiceImpl } from "@connectrpc/connect";
import { TransactionService } from "../../../gen/ts/fidalex/transaction/v1/transaction_service_pb.js";
import { requirePrincipal } from "../../runtime/auth.js";
import { toAuditEntry, toTransactionMessage } from "./transaction-mapper.js";
import type { createTransactionService } from "./transaction-service.js";

/** The implementation of every RPC of TransactionService. */
export function createTransactionHandlers(
  service: ReturnType<typeof createTransactionService>,
): ServiceImpl<typeof TransactionService> {
  return {
    async transfer(req, ctx) {
      const row = await service.transfer(requirePrincipal(ctx), req, ctx.signal);
      return { transaction: toTransactionMessage(row) };
    },
    async deposit(req, ctx) {
      const row = await service.deposit(requirePrincipal(ctx), req, ctx.signal);
      return { transaction: toTransactionMessage(row) };
    },
    async withdraw(req, ctx) {
      const row = await service.withdraw(requirePrincipal(ctx), req, ctx.signal);
      return { transaction: toTransactionMessage(row) };
    },
    async reverseTransaction(req, ctx) {
      const { reversal, original } = await service.reverse(requirePrincipal(ctx), req, ctx.signal);
      return { reversal: toTransactionMessage(reversal), original: toTransactionMessage(original) };
    },
    async getTransaction(req, ctx) {
      const { row, audit } = await service.get(requirePrincipal(ctx), req.transactionId, ctx.signal);
      return { transaction: toTransactionMessage(row), auditEntries: audit.map(toAuditEntry) };
    },
    async listAccountTransactions(req, ctx) {
      const page = await service.listForAccount(requirePrincipal(ctx), req, ctx.signal);
      return { transactions: page.rows.map(toTransactionMessage), nextPageToken: page.nextPageToken };
    },
    async searchTransactions(req, ctx) {
      const page = await service.search(requirePrincipal(ctx), req, ctx.signal);
      return { transactions: page.rows.map(toTransactionMessage), nextPageToken: page.nextPageToken };
    },
  };
}
