// The bank's services as the bot calls them: always with the caller's own access token (the
// authorization header of the chat request), never with a token of the bot's own, so every
// answer is exactly what the user may see and every action is one the user may take. The Account,
// Transaction, Payment and Loan services check each call themselves.
import {
  Code,
  ConnectError,
  createClient,
  type CallOptions,
  type Client,
  type Transport,
} from "@connectrpc/connect";
import { AccountService } from "../../../gen/ts/fidalex/account/v1/account_service_pb.js";
import { CustomerService } from "../../../gen/ts/fidalex/account/v1/customer_service_pb.js";
import { CreditService } from "../../../gen/ts/fidalex/loan/v1/credit_service_pb.js";
import { LoanService } from "../../../gen/ts/fidalex/loan/v1/loan_service_pb.js";
import { PaymentService } from "../../../gen/ts/fidalex/payment/v1/payment_service_pb.js";
import { TransactionService } from "../../../gen/ts/fidalex/transaction/v1/transaction_service_pb.js";
import type { Principal } from "../../runtime/auth.js";

/** Clients of the services the bot fulfils requests with. */
export interface BankingClients {
  accounts: Client<typeof AccountService>;
  customers: Client<typeof CustomerService>;
  transactions: Client<typeof TransactionService>;
  payments: Client<typeof PaymentService>;
  loans: Client<typeof LoanService>;
  credit: Client<typeof CreditService>;
}

/** Transports (without credentials of their own) to the services' base URLs. */
export interface BankingTransports {
  account: Transport;
  transaction: Transport;
  payment: Transport;
  loan: Transport;
}

export function createBankingClients(transports: BankingTransports): BankingClients {
  return {
    accounts: createClient(AccountService, transports.account),
    customers: createClient(CustomerService, transports.account),
    transactions: createClient(TransactionService, transports.transaction),
    payments: createClient(PaymentService, transports.payment),
    loans: createClient(LoanService, transports.loan),
    credit: createClient(CreditService, transports.loan),
  };
}

/** Who the bot acts for in one chat request. */
export interface Caller {
  principal: Principal;
  /** The chat request's authorization header ("Bearer ..."), forwarded unchanged. */
  authorization: string;
  /** The chat request's signal: a cancelled or timed-out chat call cancels the bot's calls too. */
  signal?: AbortSignal;
}

/** What the fulfilments call the bank with. */
export interface BankAccess {
  clients: BankingClients;
  /** How long one call may take. */
  timeoutMs: number;
  /** How long a proposed action waits for the user's yes. */
  confirmWindowSeconds: number;
}

/** The options of one call made for the caller. */
export function asCaller(caller: Caller, bank: { timeoutMs: number }): CallOptions {
  return {
    headers: { authorization: caller.authorization },
    timeoutMs: bank.timeoutMs,
    signal: caller.signal,
  };
}

// The codes with which a service answers "no" to this request; anything else (down, overloaded,
// too slow, not deployed yet, a broken connection, a fault of its own) means it cannot answer now.
const refusals = new Set([
  Code.InvalidArgument,
  Code.NotFound,
  Code.AlreadyExists,
  Code.PermissionDenied,
  Code.FailedPrecondition,
  Code.OutOfRange,
  Code.Unauthenticated,
]);

/** Whether a failed call means the service cannot answer now, rather than that it refused. */
export function isUnreachable(error: unknown): boolean {
  return !refusals.has(ConnectError.from(error).code);
}

/** The code of a failed call. */
export function codeOf(error: unknown): Code {
  return ConnectError.from(error).code;
}
