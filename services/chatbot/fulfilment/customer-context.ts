// What the bot keeps about the customer it talks to: the first name it greets with and the list
// of accounts it resolves "my savings" or "FB-00000042" against (never balances, which are read
// fresh for every answer). It is read as the user, cached in Redis under
// `chat:customer:{customer_id}` for a few minutes, and dropped when the Account service publishes
// `customer.updated` for that customer. A cache miss, or Redis being down, only costs two calls.
import { AccountStatus, AccountType } from "../../../gen/ts/fidalex/account/v1/account_pb.js";
import type { Logger } from "../../runtime/logger.js";
import type { Redis } from "ioredis";
import { asCaller, type BankingClients, type Caller } from "./banking-clients.js";

/** One account of the customer, as the bot names and resolves it. */
export interface CustomerAccount {
  accountId: string;
  accountNumber: string;
  /** "checking", "savings", "loan" or "credit". */
  accountType: string;
  currency: string;
  /** Whether money may move from or to it (ACTIVE). */
  active: boolean;
}

/** The customer context of a conversation. */
export interface CustomerContext {
  customerId: string;
  firstName: string;
  /** Every account that is not closed, by account id. */
  accounts: CustomerAccount[];
}

/** Customer contexts, cached. */
export interface CustomerContexts {
  /** The caller's context; `fresh` skips the cache (e.g. after an account was not found in it). */
  of(caller: Caller, options?: { fresh?: boolean }): Promise<CustomerContext>;
  /** Drops a customer's cached context. */
  forget(customerId: bigint): Promise<void>;
}

const keyOf = (customerId: bigint | string) => `chat:customer:${customerId}`;

const typeNames: Partial<Record<AccountType, string>> = {
  [AccountType.CHECKING]: "checking",
  [AccountType.SAVINGS]: "savings",
  [AccountType.LOAN]: "loan",
  [AccountType.CREDIT]: "credit",
};

/** Creates the contexts over the caller-forwarding clients and Redis. */
export function createCustomerContexts(deps: {
  clients: BankingClients;
  redis: Redis;
  logger: Logger;
  ttlSeconds: number;
  timeoutMs: number;
}): CustomerContexts {
  const { clients, redis, logger } = deps;

  const load = async (caller: Caller, customerId: bigint): Promise<CustomerContext> => {
    const options = asCaller(caller, deps);
    const [{ customer }, accounts] = await Promise.all([
      clients.customers.getCustomer({ customerId }, options),
      clients.accounts.listCustomerAccounts({ customerId, pageSize: 500 }, options),
    ]);
    return {
      customerId: String(customerId),
      firstName: customer?.firstName ?? "",
      accounts: accounts.accounts
        .filter((account) => account.status !== AccountStatus.CLOSED)
        .map((account) => ({
          accountId: String(account.accountId),
          accountNumber: account.accountNumber,
          accountType: typeNames[account.accountType] ?? "other",
          currency: account.currency,
          active: account.status === AccountStatus.ACTIVE,
        })),
    };
  };

  return {
    async of(caller, options = {}) {
      const customerId = caller.principal.customerId;
      if (customerId === undefined) throw new Error("the caller has no customer");
      if (!options.fresh) {
        const cached = await redis.get(keyOf(customerId)).catch(() => null);
        if (cached) return JSON.parse(cached) as CustomerContext;
      }
      const context = await load(caller, customerId);
      await redis
        .set(keyOf(customerId), JSON.stringify(context), "EX", deps.ttlSeconds)
        .catch((err: unknown) => logger.warn({ err }, "customer context not cached: Redis unavailable"));
      return context;
    },
    async forget(customerId) {
      await redis.del(keyOf(customerId));
    },
  };
}
