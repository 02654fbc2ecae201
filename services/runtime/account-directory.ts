// What the Transaction service asks the Account service about accounts: whether one exists and
// which customer owns it, and which accounts a customer has. Ownership never changes once an
// account is opened, so owners are cached for a while; customers' account lists only briefly,
// because new accounts appear.
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { AccountStatus } from "../../gen/ts/fidalex/account/v1/account_pb.js";
import { AccountService } from "../../gen/ts/fidalex/account/v1/account_service_pb.js";
import { downstreamError } from "./downstream.js";

/** Account facts the Transaction service needs for its checks. */
export interface AccountDirectory {
  /** The id of the customer who owns the account, or null when no account has this id. */
  ownerOf(accountId: bigint, signal?: AbortSignal): Promise<bigint | null>;
  /** The account's owner, currency and status as they are now (not cached), or null. */
  describe(accountId: bigint, signal?: AbortSignal): Promise<AccountFacts | null>;
  /** The ids of all accounts of a customer (empty when there is no such customer). */
  accountsOf(customerId: bigint, signal?: AbortSignal): Promise<bigint[]>;
  /**
   * The bank's ACTIVE settlement account in a currency (the counter-account of deposits and
   * withdrawals), or null when the bank does not settle in it.
   */
  settlementAccount(currency: string, signal?: AbortSignal): Promise<bigint | null>;
  /** Whether the account is one of the bank's settlement accounts. */
  isSettlementAccount(accountId: bigint, signal?: AbortSignal): Promise<boolean>;
}

/** What other services need to know about an account. */
export interface AccountFacts {
  customerId: bigint;
  currency: string;
  status: AccountStatus;
}

/** Cache lifetimes and the call timeout of the directory. */
export interface AccountDirectoryOptions {
  timeoutMs: number;
  /**
   * The customer that is the bank itself: its accounts are the settlement accounts, one per
   * currency (the Account service seeds them as customer 1).
   */
  settlementCustomerId: bigint;
  ownerTtlMs?: number;
  settlementTtlMs?: number;
  accountListTtlMs?: number;
  maxEntries?: number;
}

/** Creates the directory over a transport that carries this service's SERVICE token. */
export function createAccountDirectory(
  transport: Transport,
  options: AccountDirectoryOptions,
): AccountDirectory {
  const client = createClient(AccountService, transport);
  const owners = createCache<bigint, bigint>(options.ownerTtlMs ?? 5 * 60_000, options.maxEntries ?? 10_000);
  const lists = createCache<bigint, bigint[]>(
    options.accountListTtlMs ?? 5_000,
    options.maxEntries ?? 10_000,
  );
  const settlement = createCache<"all", Map<string, bigint>>(options.settlementTtlMs ?? 5 * 60_000, 1);
  const callOptions = (signal?: AbortSignal) => ({ timeoutMs: options.timeoutMs, signal });

  // The settlement accounts by currency; a currency not yet known is looked up again, once per
  // call, in case the bank has started settling in it.
  const settlementAccounts = async (refresh: boolean, signal?: AbortSignal) => {
    const cached = refresh ? undefined : settlement.get("all");
    if (cached) return cached;
    const byCurrency = new Map<string, bigint>();
    let pageToken = "";
    try {
      do {
        const page = await client.listCustomerAccounts(
          {
            customerId: options.settlementCustomerId,
            pageSize: 500,
            pageToken,
            status: AccountStatus.ACTIVE,
          },
          callOptions(signal),
        );
        for (const account of page.accounts) {
          if (!byCurrency.has(account.currency)) byCurrency.set(account.currency, account.accountId);
        }
        pageToken = page.nextPageToken;
      } while (pageToken !== "");
    } catch (error) {
      if (ConnectError.from(error).code !== Code.NotFound) throw downstreamError("account", error);
    }
    settlement.set("all", byCurrency);
    return byCurrency;
  };

  const directory: AccountDirectory = {
    async ownerOf(accountId, signal) {
      const cached = owners.get(accountId);
      if (cached !== undefined) return cached;
      return (await directory.describe(accountId, signal))?.customerId ?? null;
    },
    async describe(accountId, signal) {
      try {
        const { account } = await client.getAccount({ accountId }, callOptions(signal));
        if (!account) return null;
        owners.set(accountId, account.customerId);
        return { customerId: account.customerId, currency: account.currency, status: account.status };
      } catch (error) {
        if (ConnectError.from(error).code === Code.NotFound) return null;
        throw downstreamError("account", error);
      }
    },
    async accountsOf(customerId, signal) {
      const cached = lists.get(customerId);
      if (cached !== undefined) return cached;
      const ids: bigint[] = [];
      let pageToken = "";
      try {
        do {
          const page = await client.listCustomerAccounts(
            { customerId, pageSize: 500, pageToken },
            callOptions(signal),
          );
          for (const account of page.accounts) {
            ids.push(account.accountId);
            owners.set(account.accountId, customerId);
          }
          pageToken = page.nextPageToken;
        } while (pageToken !== "");
      } catch (error) {
        if (ConnectError.from(error).code !== Code.NotFound) throw downstreamError("account", error);
      }
      lists.set(customerId, ids);
      return ids;
    },
    async settlementAccount(currency, signal) {
      const known = (await settlementAccounts(false, signal)).get(currency);
      if (known !== undefined) return known;
      return (await settlementAccounts(true, signal)).get(currency) ?? null;
    },
    async isSettlementAccount(accountId, signal) {
      return (await directory.ownerOf(accountId, signal)) === options.settlementCustomerId;
    },
  };
  return directory;
}

interface Cache<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): void;
}

// A small time-bounded cache; when full, the oldest entry goes (Map keeps insertion order).
function createCache<K, V>(ttlMs: number, maxEntries: number): Cache<K, V> {
  const entries = new Map<K, { value: V; expiresAt: number }>();
  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= Date.now()) {
        entries.delete(key);
        return undefined;
      }
      return entry.value;
    },
    set(key, value) {
      entries.delete(key);
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as K);
      entries.set(key, { value, expiresAt: Date.now() + ttlMs });
    },
  };
}
