// The core of the bank for tests (the Transaction service's, and every service that moves money
// through it): the real Account service and the real Transaction service, both in process on port 0 (test/support/service-harness.ts), over the stack's account
// and transaction databases and its Redis. Both verify tokens with the runtime's code against one
// test signing key; the Transaction service reaches the Account service with a SERVICE token
// signed by that key (in production it gets one from the Auth service). The Auth service's
// customer links are a no-op here.
import { randomInt } from "node:crypto";
import type { Client } from "@connectrpc/connect";
import { AccountService } from "../../gen/ts/fidalex/account/v1/account_service_pb.js";
import { CustomerService } from "../../gen/ts/fidalex/account/v1/customer_service_pb.js";
import { PostingService } from "../../gen/ts/fidalex/account/v1/posting_service_pb.js";
import { TransactionService } from "../../gen/ts/fidalex/transaction/v1/transaction_service_pb.js";
import { accountService } from "../../services/account/main.js";
import { sql, type DatabasePool } from "../../services/runtime/database.js";
import type { Logger } from "../../services/runtime/logger.js";
import { createCustomer, customerData, openAccount } from "./banking-fixtures.js";
import { callerTransport, clientsOf, startTestService } from "./service-harness.js";
import { stackVar } from "./stack.js";
import { createTestSigner, type TestClaims, type TestSigner } from "./test-tokens.js";
import { transactionService } from "../../services/transaction/main.js";
import type { TransactionDeps } from "../../services/transaction/server.js";
import type { RecoveryWorker } from "../../services/transaction/settlement/recovery-worker.js";
import type { SettlementSaga } from "../../services/transaction/settlement/settlement-saga.js";

/** Tokens and refusals as every service's tests check them (test/support/test-tokens.ts). */
export { expectRefusal, type TestClaims } from "./test-tokens.js";

/** Clients of the services a test talks to, all sending one caller's token. */
export interface Clients {
  transactions: Client<typeof TransactionService>;
  accounts: Client<typeof AccountService>;
  customers: Client<typeof CustomerService>;
  postings: Client<typeof PostingService>;
}

/** How to start the harness. */
export interface HarnessOptions {
  /** The Redis the Transaction service uses: the stack's by default, another URL, or none. */
  redisUrl?: string | null;
  /** Connections of the Transaction service's pool. */
  poolSize?: number;
  /** Timeout of each call to the Account service. */
  accountCallTimeoutMs?: number;
  /** The saga's settle delay (replays of PENDING transactions). */
  settleDelaySeconds?: number;
  /** The recovery worker's minimum age of a PENDING transaction. */
  recoveryMinAgeSeconds?: number;
}

export interface Harness {
  /** The key every service under test trusts; signs callers' and services' tokens. */
  readonly signer: TestSigner;
  /** Base URLs of the two services. */
  readonly accountUrl: string;
  readonly transactionUrl: string;
  /** The Transaction service's database, for asserting rows. */
  readonly db: DatabasePool;
  /** The dependencies the server was built from (for building variants of the saga). */
  readonly deps: TransactionDeps;
  /** The saga the server uses, for simulating crashes between its steps. */
  readonly saga: SettlementSaga;
  /** A recovery worker like the one main starts (not scheduled; call runOnce). */
  readonly worker: RecoveryWorker;
  readonly logger: Logger;
  /** A string unique to this run. */
  readonly runId: string;
  as(claims: TestClaims): Promise<Clients>;
  teller(): Promise<Clients>;
  /** Clients with a SERVICE token, like the Transaction service's own. */
  service(): Promise<Clients>;
  /** A customer's clients: a new user id and the customer's id as cid. */
  customer(customerId: bigint): Promise<Clients>;
  /** Creates a KYC-verified customer and returns its id. */
  newCustomer(tag: string): Promise<bigint>;
  /** Opens an ACTIVE account and returns its id. */
  newAccount(
    customerId: bigint,
    options?: { currency?: string; overdraftLimit?: string; dailyWithdrawalLimit?: string },
  ): Promise<bigint>;
  /** Deposits money into an account through the Transaction service (as a teller). */
  fund(accountId: bigint, amount: string, currency?: string): Promise<void>;
  /** An account's balance as AccountService.GetAccountBalance returns it. */
  balance(accountId: bigint): Promise<string>;
  /** The transaction.completed outbox rows of a transaction (their JSON payloads). */
  completedEvents(transactionId: bigint): Promise<Array<Record<string, unknown>>>;
  /** A unique idempotency key. */
  key(tag?: string): string;
  /** Stops the Account service (calls to it fail with UNAVAILABLE) until startAccount. */
  stopAccount(): Promise<void>;
  /** Starts the Account service again on the same port. */
  startAccount(): Promise<void>;
  close(): Promise<void>;
}

/** Starts both services in process and returns the harness around them. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const signer = await createTestSigner();

  // The Account service, as its colleagues' tests run it.
  const startAccount = (port?: number) =>
    startTestService(accountService, {
      env: {
        DATABASE_URL: stackVar("ACCOUNT_DATABASE_URL"),
        SERVICE_CLIENT_ID: "account",
        SERVICE_CLIENT_SECRET: "account-test-client-secret",
        CUSTOMER_LINK_RETRY_MS: "3600000",
      },
      signer,
      overrides: { customerLinks: { linkCustomer: async () => {} } },
      port,
    });
  let account: Awaited<ReturnType<typeof startAccount>> | undefined = await startAccount();
  const accountPort = account.port;

  // The Transaction service, as main.ts wires it; its recovery worker is run by hand (runOnce).
  const redisUrl = options.redisUrl === undefined ? stackVar("REDIS_URL") : options.redisUrl;
  const service = await startTestService(transactionService, {
    env: {
      DATABASE_URL: stackVar("TRANSACTION_DATABASE_URL"),
      DATABASE_POOL_SIZE: String(options.poolSize ?? 20),
      REDIS_URL: redisUrl ?? undefined,
      ACCOUNT_URL: account.url,
      SERVICE_CLIENT_ID: "transaction",
      SERVICE_CLIENT_SECRET: "transaction-test-client-secret",
      ACCOUNT_CALL_TIMEOUT_MS: String(options.accountCallTimeoutMs ?? 5_000),
      SETTLE_DELAY_SECONDS: options.settleDelaySeconds?.toString(),
      RECOVERY_MIN_AGE_SECONDS: String(options.recoveryMinAgeSeconds ?? 1),
      RECOVERY_INTERVAL_MS: "3600000",
      RECOVERY_BATCH_SIZE: "500",
    },
    signer,
  });
  const { db, logger } = service.deps;

  const as = async (claims: TestClaims): Promise<Clients> => {
    const bearer = await signer.bearer(claims, { expiresIn: "30m" });
    return {
      ...clientsOf(callerTransport(service.url, bearer), { transactions: TransactionService }),
      ...clientsOf(callerTransport(`http://127.0.0.1:${accountPort}`, bearer), {
        accounts: AccountService,
        customers: CustomerService,
        postings: PostingService,
      }),
    };
  };

  const runId = `${Date.now().toString(36)}${randomInt(1_000_000).toString(36)}`;
  let seq = 0;
  const userBase = 5_000_000 + randomInt(1_000_000_000);
  const teller = await as({ sub: String(userBase), roles: ["TELLER"] });

  return {
    signer,
    accountUrl: `http://127.0.0.1:${accountPort}`,
    transactionUrl: service.url,
    db,
    deps: service.deps,
    saga: service.deps.saga,
    worker: service.deps.recovery,
    logger,
    runId,
    as,
    teller: () => as({ sub: String(userBase + ++seq), roles: ["TELLER"] }),
    service: () => as({ sub: "svc:transaction", roles: ["SERVICE"] }),
    customer: (customerId) => as({ sub: String(userBase + ++seq), roles: ["CUSTOMER"], cid: customerId }),
    newCustomer: (tag) => createCustomer(teller, customerData(`${runId}.${++seq}`, tag), { tag }),
    newAccount: (customerId, accountOptions = {}) => openAccount(teller, customerId, accountOptions),
    async fund(accountId, amount, currency = "USD") {
      await teller.transactions.deposit({
        accountId,
        amount,
        currency,
        description: "opening deposit",
        idempotencyKey: `fund-${runId}-${++seq}`,
      });
    },
    async balance(accountId) {
      const { accountBalance } = await teller.accounts.getAccountBalance({ accountId });
      return accountBalance!.balance;
    },
    async completedEvents(transactionId) {
      const rows = await db.anyFirst(sql.unsafe`
        SELECT payload FROM outbox
         WHERE topic = 'transaction.completed' AND aggregatetype = 'transaction'
           AND aggregateid = ${String(transactionId)}
         ORDER BY created_at
      `);
      return rows as Array<Record<string, unknown>>;
    },
    key: (tag = "k") => `${tag}-${runId}-${++seq}`,
    async stopAccount() {
      await account?.close();
      account = undefined;
    },
    async startAccount() {
      account ??= await startAccount(accountPort);
    },
    async close() {
      await service.close();
      await account?.close();
    },
  };
}
