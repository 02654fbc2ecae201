// An applicant's features: the credit bureau's view (the attributes of its report) and the bank's
// own (the history features of the customer's accounts), computed once and cached in Redis as
// `loan:features:{customer_id}` for FEATURE_CACHE_TTL_SECONDS. A transaction on one of the
// customer's accounts makes the cached features stale: the transaction.completed consumer
// (feature-cache-invalidation.ts) drops them, found through `loan:accounts:{account_id}`, which
// names the customer whose cached features rest on that account.
import type { JsonObject } from "@bufbuild/protobuf";
import type { Redis } from "ioredis";
import { addDays, utcDay } from "../../runtime/calendar.js";
import type { DatabasePool } from "../../runtime/database.js";
import type { Logger } from "../../runtime/logger.js";
import type { AccountDirectory, CustomerFacts } from "../bank-accounts/account-directory.js";
import type { TransferGateway } from "../bank-accounts/transfer-gateway.js";
import type { Clock } from "../clock.js";
import type { BureauAttributes, CreditBureau } from "./credit-bureau.js";
import { findReportByReference, insertReport } from "./credit-repository.js";
import { historyFeatures, type HistoryFeatures, type HistoryTransaction } from "./history-features.js";

/** What the cache holds for a customer (JSON). */
export interface ApplicantFeatures {
  customerId: string;
  /** When the features were computed (ISO-8601). */
  computedAt: string;
  /** The stored credit report they rest on (credit_reports.report_id). */
  reportId: string;
  bureauSource: string;
  bureau: BureauAttributes;
  history: HistoryFeatures;
  /** The customer's accounts at the time: a transaction on any of them makes the features stale. */
  accountIds: string[];
}

/** Features and whether they came from the cache. */
export interface FeatureLookup {
  features: ApplicantFeatures;
  cached: boolean;
}

/** Where an applicant's features come from. */
export interface FeatureStore {
  /** The customer's features: cached ones if any, else freshly computed (and cached). */
  featuresOf(customer: CustomerFacts, signal?: AbortSignal): Promise<FeatureLookup>;
  /** Drops the cached features resting on any of these accounts; returns the customers dropped. */
  invalidateAccounts(accountIds: readonly bigint[]): Promise<bigint[]>;
}

/** What the store computes with. */
export interface FeatureStoreDeps {
  db: DatabasePool;
  bureau: CreditBureau;
  directory: AccountDirectory;
  transfers: TransferGateway;
  clock: Clock;
  logger: Logger;
  /** Absent: nothing is cached. */
  redis?: Redis;
  ttlSeconds: number;
  windowDays: number;
}

export const featureKey = (customerId: bigint | string) => `loan:features:${customerId}`;
export const accountOwnerKey = (accountId: bigint | string) => `loan:accounts:${accountId}`;

/** The accounts whose movements the history features read: current and savings accounts. */
const historyAccountTypes = new Set(["CHECKING", "SAVINGS"]);

/** Creates the store. */
export function createFeatureStore(deps: FeatureStoreDeps): FeatureStore {
  const { db, bureau, directory, transfers, clock, logger, redis } = deps;

  const compute = async (customer: CustomerFacts, signal?: AbortSignal): Promise<ApplicantFeatures> => {
    const asOf = clock.now();
    const report = await bureau.pull(customer, asOf);
    // A bureau answers repeated pulls within its validity with the same report: stored once.
    const stored =
      (await findReportByReference(db, report.source, report.reference)) ??
      (await insertReport(db, {
        customerId: customer.customerId,
        source: report.source,
        data: report.data,
        fetchedAt: asOf,
      }));

    const accounts = await directory.customerAccounts(customer.customerId, signal);
    const today = utcDay(asOf);
    const from = addDays(today, -(deps.windowDays - 1));
    const seen = new Map<bigint, HistoryTransaction>();
    for (const account of accounts.filter((a) => historyAccountTypes.has(a.type))) {
      // A transfer between two of the customer's accounts is listed under both: counted once.
      for (const txn of await transfers.accountTransactions(account.accountId, from, today, signal)) {
        seen.set(txn.transactionId, txn);
      }
    }
    const history = historyFeatures({
      asOf,
      windowDays: deps.windowDays,
      customerSince: customer.createdAt,
      accounts: accounts.map((a) => ({ accountId: a.accountId, type: a.type, balance: a.balance })),
      transactions: [...seen.values()],
      settlementAccountIds: await directory.settlementAccountIds(signal),
    });
    return {
      customerId: String(customer.customerId),
      computedAt: asOf.toISOString(),
      reportId: String(stored.report_id),
      bureauSource: stored.report_source,
      bureau: bureau.attributesOf(stored.report_data as JsonObject, asOf),
      history,
      accountIds: accounts.map((a) => String(a.accountId)),
    };
  };

  // Redis is a cache: when it fails, the features are computed (and the failure logged).
  const cached = async (customerId: bigint): Promise<ApplicantFeatures | undefined> => {
    if (!redis) return undefined;
    try {
      const json = await redis.get(featureKey(customerId));
      return json ? (JSON.parse(json) as ApplicantFeatures) : undefined;
    } catch (err) {
      logger.warn(
        { err, customerId: String(customerId) },
        "feature cache unreadable; computing the features",
      );
      return undefined;
    }
  };

  const store = async (features: ApplicantFeatures) => {
    if (!redis) return;
    try {
      const ttl = deps.ttlSeconds;
      const batch = redis.multi().set(featureKey(features.customerId), JSON.stringify(features), "EX", ttl);
      for (const accountId of features.accountIds)
        batch.set(accountOwnerKey(accountId), features.customerId, "EX", ttl);
      await batch.exec();
    } catch (err) {
      logger.warn({ err, customerId: features.customerId }, "feature cache unwritable; features not cached");
    }
  };

  return {
    async featuresOf(customer, signal) {
      const hit = await cached(customer.customerId);
      if (hit) return { features: hit, cached: true };
      const features = await compute(customer, signal);
      await store(features);
      return { features, cached: false };
    },

    async invalidateAccounts(accountIds) {
      if (!redis || accountIds.length === 0) return [];
      const owners = await redis.mget(accountIds.map(accountOwnerKey));
      const customers = [...new Set(owners.filter((owner): owner is string => owner !== null))];
      if (customers.length > 0) await redis.del(...customers.map(featureKey));
      return customers.map((customer) => BigInt(customer));
    },
  };
}
