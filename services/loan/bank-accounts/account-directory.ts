// What the Loan service asks the Account service, under its SERVICE token: a customer's identity
// and KYC status, an account's owner, status and currency, a customer's accounts, and the bank's
// settlement accounts (the ACTIVE accounts of the settlement customer, one per currency), which pay
// loans out and take repayments in. Settlement accounts change rarely and are cached; the rest is
// asked each time, because a decision must rest on the current state.
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { AccountStatus, AccountType, type Account } from "../../../gen/ts/fidalex/account/v1/account_pb.js";
import { AccountService } from "../../../gen/ts/fidalex/account/v1/account_service_pb.js";
import { KycStatus } from "../../../gen/ts/fidalex/account/v1/customer_pb.js";
import { CustomerService } from "../../../gen/ts/fidalex/account/v1/customer_service_pb.js";
import { downstreamError } from "../../runtime/downstream.js";

/** A customer as the Loan service needs it. */
export interface CustomerFacts {
  customerId: bigint;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  /** PENDING, VERIFIED or REJECTED. */
  kycStatus: string;
  createdAt: Date;
}

/** An account as the Loan service needs it. */
export interface AccountFacts {
  accountId: bigint;
  customerId: bigint;
  /** CHECKING, SAVINGS, LOAN or CREDIT. */
  type: string;
  /** ACTIVE, CLOSED, FROZEN or PENDING. */
  status: string;
  currency: string;
  balance: string;
}

/** The Account service, as the Loan service uses it. */
export interface AccountDirectory {
  /** The customer, or null when no customer has this id. */
  customer(customerId: bigint, signal?: AbortSignal): Promise<CustomerFacts | null>;
  /** The account, or null when no account has this id. */
  account(accountId: bigint, signal?: AbortSignal): Promise<AccountFacts | null>;
  /** Every account of the customer (empty when there is no such customer). */
  customerAccounts(customerId: bigint, signal?: AbortSignal): Promise<AccountFacts[]>;
  /** The bank's ACTIVE settlement account in the currency, or null when it has none. */
  settlementAccount(currency: string, signal?: AbortSignal): Promise<bigint | null>;
  /** The ids of all settlement accounts. */
  settlementAccountIds(signal?: AbortSignal): Promise<Set<bigint>>;
}

/** How the directory calls and caches. */
export interface AccountDirectoryOptions {
  timeoutMs: number;
  /** The customer that is the bank itself (its accounts are the settlement accounts). */
  settlementCustomerId: bigint;
  /** How long the settlement accounts are cached; 5 minutes by default. */
  settlementTtlMs?: number;
}

function accountFacts(account: Account): AccountFacts {
  return {
    accountId: account.accountId,
    customerId: account.customerId,
    type: AccountType[account.accountType],
    status: AccountStatus[account.status],
    currency: account.currency,
    balance: account.balance,
  };
}

/** Creates the directory over a transport that carries this service's SERVICE token. */
export function createAccountDirectory(
  transport: Transport,
  options: AccountDirectoryOptions,
): AccountDirectory {
  const accounts = createClient(AccountService, transport);
  const customers = createClient(CustomerService, transport);
  const callOptions = (signal?: AbortSignal) => ({ timeoutMs: options.timeoutMs, signal });
  const ttlMs = options.settlementTtlMs ?? 5 * 60_000;
  let settlement: { byCurrency: Map<string, bigint>; ids: Set<bigint>; expiresAt: number } | undefined;

  // Returns null for NOT_FOUND, rethrows anything else as what our caller should see.
  const orNull = async <T>(call: () => Promise<T>): Promise<T | null> => {
    try {
      return await call();
    } catch (error) {
      if (ConnectError.from(error).code === Code.NotFound) return null;
      throw downstreamError("account", error);
    }
  };

  const listAccounts = async (customerId: bigint, status: AccountStatus, signal?: AbortSignal) => {
    const found: AccountFacts[] = [];
    let pageToken = "";
    do {
      const page = await orNull(() =>
        accounts.listCustomerAccounts({ customerId, pageSize: 500, pageToken, status }, callOptions(signal)),
      );
      if (!page) break;
      found.push(...page.accounts.map(accountFacts));
      pageToken = page.nextPageToken;
    } while (pageToken !== "");
    return found;
  };

  const settlementAccounts = async (refresh: boolean, signal?: AbortSignal) => {
    if (!refresh && settlement && settlement.expiresAt > Date.now()) return settlement;
    const active = await listAccounts(options.settlementCustomerId, AccountStatus.ACTIVE, signal);
    const byCurrency = new Map<string, bigint>();
    for (const account of active)
      if (!byCurrency.has(account.currency)) byCurrency.set(account.currency, account.accountId);
    settlement = { byCurrency, ids: new Set(active.map((a) => a.accountId)), expiresAt: Date.now() + ttlMs };
    return settlement;
  };

  return {
    async customer(customerId, signal) {
      const found = await orNull(() => customers.getCustomer({ customerId }, callOptions(signal)));
      const customer = found?.customer;
      if (!customer) return null;
      return {
        customerId: customer.customerId,
        firstName: customer.firstName,
        lastName: customer.lastName,
        dateOfBirth: customer.dateOfBirth,
        kycStatus: KycStatus[customer.kycStatus],
        createdAt: customer.createdAt ? timestampDate(customer.createdAt) : new Date(),
      };
    },
    async account(accountId, signal) {
      const found = await orNull(() => accounts.getAccount({ accountId }, callOptions(signal)));
      return found?.account ? accountFacts(found.account) : null;
    },
    customerAccounts: (customerId, signal) => listAccounts(customerId, AccountStatus.UNSPECIFIED, signal),
    async settlementAccount(currency, signal) {
      // A currency not known yet is looked up again, in case the bank has started lending in it.
      const known = (await settlementAccounts(false, signal)).byCurrency.get(currency);
      if (known !== undefined) return known;
      return (await settlementAccounts(true, signal)).byCurrency.get(currency) ?? null;
    },
    async settlementAccountIds(signal) {
      return (await settlementAccounts(false, signal)).ids;
    },
  };
}
