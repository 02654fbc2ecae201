// Test harness of the Transaction service: the real Account service and the real Transaction
// service, both in process on port 0, over the stack's account and transaction databases and its
// Redis. Both verify tokens with the runtime's code against one test signing key; the Transaction
// service reaches the Account service with a SERVICE token signed by that key (in production it
// gets one from the Auth service). The Auth service's customer links are a no-op here.
import { randomInt } from "node:crypto";
import type { AddressInfo } from "node:net";
import { createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AccountType } from "../../../../gen/ts/fidalex/account/v1/account_pb.js";
import { AccountService } from "../../../../gen/ts/fidalex/account/v1/account_service_pb.js";
import { KycStatus } from "../../../../gen/ts/fidalex/account/v1/customer_pb.js";
import { CustomerService } from "../../../../gen/ts/fidalex/account/v1/customer_service_pb.js";
import { PostingService } from "../../../../gen/ts/fidalex/account/v1/posting_service_pb.js";
import { TransactionService } from "../../../../gen/ts/fidalex/transaction/v1/transaction_service_pb.js";
import { build as buildAccount, migrationsDir as accountMigrationsDir } from "../../../account/server.js";
import { createServiceTransport } from "../../../runtime/clients.js";
import { createDatabasePool, runMigrations, sql, type DatabasePool } from "../../../runtime/database.js";
import { createLogger, type Logger } from "../../../runtime/logger.js";
import type { ServiceServer } from "../../../runtime/server.js";
import { ensureStackUp, stackVar } from "../../../../test/support/stack.js";
import { createTestSigner, type TestClaims } from "../../../../test/support/test-tokens.js";
import { createSaga, type TransactionDeps } from "../../dependencies.js";
import { migrationsDir } from "../../main.js";
import { createRecoveryWorker, type RecoveryWorker } from "../../recovery/recovery-worker.js";
import { createRedisClient } from "../../redis/account-locks.js";
import type { TransactionSaga } from "../../saga/transaction-saga.js";
import { build } from "../../server.js";

/** Tokens and refusals as every service's tests check them (test/support/test-tokens.ts). */
export { expectRefusal, type TestClaims } from "../../../../test/support/test-tokens.js";

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
  /** The Transaction service's database, for asserting rows. */
  readonly db: DatabasePool;
  /** The dependencies the server was built from (for building variants of the saga). */
  readonly deps: TransactionDeps;
  /** The saga the server uses, for simulating crashes between its steps. */
  readonly saga: TransactionSaga;
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
  ensureStackUp();
  const logger = createLogger("transaction-test", process.env.LOG_LEVEL ?? "silent");

  const signer = await createTestSigner();
  const keys = signer.keys;
  const token = (claims: TestClaims) => signer.sign(claims, { expiresIn: "30m" });

  // The Account service, as its colleagues' tests run it.
  const accountUrl = stackVar("ACCOUNT_DATABASE_URL");
  await runMigrations(accountUrl, accountMigrationsDir, logger);
  const accountDb = await createDatabasePool(accountUrl, { maximumPoolSize: 16 });
  const buildAccountServer = () =>
    buildAccount({ db: accountDb, keys, logger, customerLinks: { linkCustomer: async () => {} } });
  let accountServer: ServiceServer | undefined = buildAccountServer();
  const accountPort = (await accountServer.listen(0)).port;
  const accountBaseUrl = `http://127.0.0.1:${accountPort}`;

  // The Transaction service, as main.ts wires it, with a test service token.
  const transactionUrl = stackVar("TRANSACTION_DATABASE_URL");
  await runMigrations(transactionUrl, migrationsDir, logger);
  const db = await createDatabasePool(transactionUrl, { maximumPoolSize: options.poolSize ?? 20 });
  const redisUrl = options.redisUrl === undefined ? stackVar("REDIS_URL") : options.redisUrl;
  const redis = redisUrl === null ? undefined : createRedisClient(redisUrl, logger);
  const serviceToken = await token({ sub: "svc:transaction", roles: ["SERVICE"] });
  const serviceTokenInterceptor: Interceptor = (next) => (req) => {
    req.header.set("authorization", `Bearer ${serviceToken}`);
    return next(req);
  };
  const deps: TransactionDeps = {
    db,
    redis,
    accountTransport: createServiceTransport(accountBaseUrl, [serviceTokenInterceptor]),
    logger,
    accountCallTimeoutMs: options.accountCallTimeoutMs ?? 5_000,
    settleDelaySeconds: options.settleDelaySeconds,
  };
  const server = build({ ...deps, keys });
  const address: AddressInfo = await server.listen(0);
  const saga = createSaga(deps);
  const worker = createRecoveryWorker({
    db,
    saga,
    logger,
    intervalMs: 60_000,
    minAgeSeconds: options.recoveryMinAgeSeconds ?? 1,
    batchSize: 500,
  });

  const transport = (interceptors: Interceptor[]) => ({
    transaction: createGrpcTransport({ baseUrl: `http://127.0.0.1:${address.port}`, interceptors }),
    account: createGrpcTransport({ baseUrl: accountBaseUrl, interceptors }),
  });
  const as = async (claims: TestClaims): Promise<Clients> => {
    const bearer = `Bearer ${await token(claims)}`;
    const t = transport([
      (next) => (req) => {
        req.header.set("authorization", bearer);
        return next(req);
      },
    ]);
    return {
      transactions: createClient(TransactionService, t.transaction),
      accounts: createClient(AccountService, t.account),
      customers: createClient(CustomerService, t.account),
      postings: createClient(PostingService, t.account),
    };
  };

  const runId = `${Date.now().toString(36)}${randomInt(1_000_000).toString(36)}`;
  let seq = 0;
  const userBase = 5_000_000 + randomInt(1_000_000_000);
  const teller = await as({ sub: String(userBase), roles: ["TELLER"] });

  return {
    db,
    deps,
    saga,
    worker,
    logger,
    runId,
    as,
    teller: () => as({ sub: String(userBase + ++seq), roles: ["TELLER"] }),
    service: () => as({ sub: "svc:transaction", roles: ["SERVICE"] }),
    customer: (customerId) => as({ sub: String(userBase + ++seq), roles: ["CUSTOMER"], cid: customerId }),
    async newCustomer(tag) {
      const { customer } = await teller.customers.createCustomer({
        firstName: "Grace",
        lastName: `Hopper-${tag}`,
        dateOfBirth: "1980-12-09",
        email: `grace.${tag}.${runId}.${++seq}@example.com`,
        phoneNumber: "+15550100",
        address: {
          line1: "1 Compiler Way",
          line2: "",
          city: "Arlington",
          state: "VA",
          postalCode: "22201",
          country: "US",
        },
      });
      await teller.customers.verifyCustomerKyc({
        customerId: customer!.customerId,
        decision: KycStatus.VERIFIED,
        comment: "passport checked",
        documents: [`doc-${tag}`],
      });
      return customer!.customerId;
    },
    async newAccount(customerId, accountOptions = {}) {
      const { account } = await teller.accounts.openAccount({
        customerId,
        accountType: AccountType.CHECKING,
        currency: accountOptions.currency ?? "USD",
        branchId: 1,
        overdraftLimit: accountOptions.overdraftLimit,
        dailyWithdrawalLimit: accountOptions.dailyWithdrawalLimit,
      });
      return account!.accountId;
    },
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
      await accountServer?.close(500);
      accountServer = undefined;
    },
    async startAccount() {
      if (accountServer) return;
      accountServer = buildAccountServer();
      await accountServer.listen(accountPort);
    },
    async close() {
      await server.close(1_000);
      await worker.stop();
      await accountServer?.close(1_000);
      await db.end();
      await accountDb.end();
      redis?.disconnect();
    },
  };
}
