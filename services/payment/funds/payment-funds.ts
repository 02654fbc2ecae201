// The money of a payment, moved only through the Transaction service's ledger (there is one way to
// change a balance): the debit takes the amount from the customer's account into the bank's
// settlement account of the currency when the payment is accepted, and the release gives it back
// when the payment fails or is returned. Both are Transfers made with this service's SERVICE token
// and an idempotency key derived from the payment's own UUID (payment-<uuid>-debit, -release), so
// repeating one after a crash or a timeout moves the money once.
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { TransactionStatus } from "../../../gen/ts/fidalex/transaction/v1/transaction_pb.js";
import { TransactionService } from "../../../gen/ts/fidalex/transaction/v1/transaction_service_pb.js";
import type { AccountDirectory } from "../../runtime/account-directory.js";
import { errorReason } from "../../runtime/errors.js";

/** What the ledger did with one movement. */
export type LedgerOutcome =
  /** The money moved: the ledger transaction's id. */
  | { kind: "moved"; transactionId: bigint }
  /** The ledger refused it for good (e.g. INSUFFICIENT_FUNDS); nothing moved. */
  | { kind: "refused"; reason: string; code: Code; message: string }
  /** Unknown (the ledger is unreachable, or the transfer is still PENDING): repeat it later. */
  | { kind: "unknown"; cause: string };

/** The payment fields a movement needs. */
export interface PaymentMoney {
  paymentId: bigint;
  /** The payment's own UUID, from which the ledger's idempotency keys are made. */
  ledgerKey: string;
  accountId: bigint;
  amount: string;
  currency: string;
}

/** The two movements of a payment's money. */
export interface PaymentFunds {
  debit(payment: PaymentMoney, signal?: AbortSignal): Promise<LedgerOutcome>;
  release(payment: PaymentMoney, signal?: AbortSignal): Promise<LedgerOutcome>;
}

/** The ledger transfer's idempotency key of a payment's debit or release. */
export const ledgerKey = (payment: PaymentMoney, movement: "debit" | "release") =>
  `payment-${payment.ledgerKey.replaceAll("-", "")}-${movement}`;

/** Creates the movements over a transport to the Transaction service carrying a SERVICE token. */
export function createPaymentFunds(deps: {
  transactionTransport: Transport;
  directory: AccountDirectory;
  timeoutMs: number;
}): PaymentFunds {
  const ledger = createClient(TransactionService, deps.transactionTransport);

  const move = async (
    payment: PaymentMoney,
    movement: "debit" | "release",
    signal?: AbortSignal,
  ): Promise<LedgerOutcome> => {
    try {
      const settlement = await deps.directory.settlementAccount(payment.currency, signal);
      if (settlement === null) {
        return {
          kind: "refused",
          reason: "CURRENCY_NOT_SETTLED",
          code: Code.FailedPrecondition,
          message: "the bank makes no payments in this currency",
        };
      }
      const [from, to] =
        movement === "debit" ? [payment.accountId, settlement] : [settlement, payment.accountId];
      const { transaction } = await ledger.transfer(
        {
          fromAccountId: from,
          toAccountId: to,
          amount: payment.amount,
          currency: payment.currency,
          description: `payment ${payment.paymentId} ${movement}`,
          idempotencyKey: ledgerKey(payment, movement),
        },
        { signal, timeoutMs: deps.timeoutMs },
      );
      if (transaction?.status === TransactionStatus.SUCCESS) {
        return { kind: "moved", transactionId: transaction.transactionId };
      }
      return { kind: "unknown", cause: `ledger transaction ${transaction?.transactionId} is still pending` };
    } catch (error) {
      const err = ConnectError.from(error);
      // The ledger's refusals are final and recorded there: a replay answers the same refusal.
      if (
        err.code === Code.FailedPrecondition ||
        err.code === Code.NotFound ||
        err.code === Code.InvalidArgument
      ) {
        return {
          kind: "refused",
          reason: errorReason(err) ?? "LEDGER_REFUSED",
          code: err.code,
          message: err.rawMessage,
        };
      }
      return { kind: "unknown", cause: `${Code[err.code]}: ${err.rawMessage}` };
    }
  };

  return {
    debit: (payment, signal) => move(payment, "debit", signal),
    release: (payment, signal) => move(payment, "release", signal),
  };
}
