// Transport of TransactionService: reads the principal, hands the request to the movements or
// the reads with the call's abort signal (so deadlines reach the Account service), and shapes the
// responses.
import type { ServiceImpl } from "@connectrpc/connect";
import { TransactionService } from "../../../gen/ts/fidalex/transaction/v1/transaction_service_pb.js";
import { requirePrincipal } from "../../runtime/auth.js";
import { toApproval } from "../../runtime/approvals.js";
import type { CashOutcome, MovementService } from "../movements/movement-service.js";
import { toAuditEntry, toTransactionMessage } from "./transaction-mapper.js";
import type { TransactionQueryService } from "./transaction-query-service.js";

/** A deposit's or withdrawal's answer: its transaction, or the approval it waits for. */
function toCashResponse(outcome: CashOutcome) {
  return "transaction" in outcome
    ? { transaction: toTransactionMessage(outcome.transaction) }
    : { approval: toApproval(outcome.approval) };
}

/** The implementation of every RPC of TransactionService. */
export function createTransactionHandlers(
  movements: MovementService,
  queries: TransactionQueryService,
): ServiceImpl<typeof TransactionService> {
  return {
    async transfer(req, ctx) {
      const row = await movements.transfer(requirePrincipal(ctx), req, ctx.signal);
      return { transaction: toTransactionMessage(row) };
    },
    async deposit(req, ctx) {
      return toCashResponse(await movements.deposit(requirePrincipal(ctx), req, ctx.signal));
    },
    async withdraw(req, ctx) {
      return toCashResponse(await movements.withdraw(requirePrincipal(ctx), req, ctx.signal));
    },
    async approveCashMovement(req, ctx) {
      const { transaction, approval } = await movements.approveCash(
        requirePrincipal(ctx),
        req.approvalId,
        ctx.signal,
      );
      return { transaction: toTransactionMessage(transaction), approval: toApproval(approval) };
    },
    async rejectCashMovement(req, ctx) {
      return { approval: toApproval(await movements.rejectCash(requirePrincipal(ctx), req.approvalId)) };
    },
    async reverseTransaction(req, ctx) {
      const { reversal, original } = await movements.reverse(requirePrincipal(ctx), req, ctx.signal);
      return { reversal: toTransactionMessage(reversal), original: toTransactionMessage(original) };
    },
    async getTransaction(req, ctx) {
      const { row, audit } = await queries.get(requirePrincipal(ctx), req.transactionId, ctx.signal);
      return { transaction: toTransactionMessage(row), auditEntries: audit.map(toAuditEntry) };
    },
    async listAccountTransactions(req, ctx) {
      const page = await queries.listForAccount(requirePrincipal(ctx), req, ctx.signal);
      return { transactions: page.items.map(toTransactionMessage), nextPageToken: page.nextPageToken };
    },
    async searchTransactions(req, ctx) {
      const page = await queries.search(requirePrincipal(ctx), req, ctx.signal);
      return { transactions: page.items.map(toTransactionMessage), nextPageToken: page.nextPageToken };
    },
  };
}
