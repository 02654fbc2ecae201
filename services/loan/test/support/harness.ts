// Test harness of the Loan & Credit service: the real Account, Transaction and Loan services, all
// in process on port 0 (test/support/service-harness.ts), over the stack's databases, Redis and,
// where a test needs it, Kafka. They verify tokens with the runtime's code against one test
// signing key and reach each other with SERVICE tokens signed by it (in production the Auth
// service issues them). The Loan service's clock is the harness's: a test moves it to open loans
// in the past or to run the daily delinquency run on a later day. Its workers are not scheduled;
// a test runs them (runOnce).
import { randomInt } from "node:crypto";
import type { Client } from "@connectrpc/connect";
import { z } from "zod";
import { Redis } from "ioredis";
import { AccountType } from "../../../../gen/ts/fidalex/account/v1/account_pb.js";
import { AccountService } from "../../../../gen/ts/fidalex/account/v1/account_service_pb.js";
import { KycStatus } from "../../../../gen/ts/fidalex/account/v1/customer_pb.js";
import { CustomerService } from "../../../../gen/ts/fidalex/account/v1/customer_service_pb.js";
import { CreditService } from "../../../../gen/ts/fidalex/loan/v1/credit_service_pb.js";
import { LoanService } from "../../../../gen/ts/fidalex/loan/v1/loan_service_pb.js";
import { TransactionService } from "../../../../gen/ts/fidalex/transaction/v1/transaction_service_pb.js";
import { accountService } from "../../../account/main.js";
import { createDatabasePool, sql, type DatabasePool } from "../../../runtime/database.js";
import { transactionService } from "../../../transaction/main.js";
import { ensureConnector } from "../../../../test/support/connectors.js";
import { callerTransport, clientsOf, startTestService } from "../../../../test/support/service-harness.js";
import { stackVar } from "../../../../test/support/stack.js";
import { createTestSigner, type TestClaims, type TestSigner } from "../../../../test/support/test-tokens.js";
import type { Clock } from "../../clock.js";
import { sandboxProfileOf, type SandboxProfile } from "../../credit/sandbox-bureau.js";
import { loanService } from "../../main.js";
import type { LoanDeps } from "../../server.js";

export { expectRefusal, type TestClaims } from "../../../../test/support/test-tokens.js";

/** Clients of the services a test talks to, all sending one caller's token. */
export interface Clients {
  loans: Client<typeof LoanService>;
  credit: Client<typeof CreditService>;
  accounts: Client<typeof AccountService>;
  customers: Client<typeof CustomerService>;
  transactions: Client<typeof TransactionService>;
}

/** A clock a test sets; it runs on from the time it was set to. */
export interface TestClock extends Clock {
  /** From now on, the time is `at` plus the time elapsed since this call. */
  set(at: Date | string): void;
  /** Back to the machine's time. */
  reset(): void;
}

export function createTestClock(): TestClock {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    set(at) {
      offsetMs = new Date(at).getTime() - Date.now();
    },
    reset() {
      offsetMs = 0;
    },
  };
}

/** How to start the harness. */
export interface HarnessOptions {
  /** Whether the Account and Loan services run their Kafka consumers; false by default. */
  kafka?: boolean;
  /** More variables of the Loan service. */
  loanEnv?: Record<string, string>;
}

/** A customer who can apply: a KYC-verified customer with a funded current account. */
export interface Applicant {
  customerId: bigint;
  accountId: bigint;
  /** Clients with the customer's token. */
  clients: Clients;
}

/** The fields of an application (ApplyForLoanRequest). */
export interface ApplicationFields {
  customerId: bigint;
  amountRequested: string;
  currency: string;
  termMonths: number;
  purpose?: string;
  disbursementAccountId: bigint;
}

/** An application as the applicant sends it (USD, paid out to their account), with changes. */
export function applicationOf(
  applicant: Pick<Applicant, "customerId" | "accountId">,
  changes: Partial<ApplicationFields> = {},
): ApplicationFields {
  return {
    customerId: applicant.customerId,
    amountRequested: "5000.00",
    currency: "USD",
    termMonths: 24,
    disbursementAccountId: applicant.accountId,
    ...changes,
  };
}

/** The applicant applies for the amount over the term. */
export function apply(applicant: Applicant, amountRequested = "5000.00", termMonths = 24) {
  return applicant.clients.loans.applyForLoan(applicationOf(applicant, { amountRequested, termMonths }));
}

/** How many transfers the Transaction service recorded under the loan's payout key (its database). */
export function payoutTransfers(transactionDb: DatabasePool, loanId: bigint): Promise<number> {
  return transactionDb.oneFirst(sql.type(z.object({ count: z.number() }))`
    SELECT COUNT(*)::int AS count FROM idempotency_keys WHERE idempotency_key = ${`loan-${loanId}-disbursement`}
  `);
}

export interface Harness {
  readonly signer: TestSigner;
  readonly clock: TestClock;
  /** The Loan service's dependencies (database, workers, feature store). */
  readonly deps: LoanDeps;
  /** The Loan service's base URL. */
  readonly loanUrl: string;
  /** The account and transaction databases, for asserting rows. */
  readonly accountDb: DatabasePool;
  readonly transactionDb: DatabasePool;
  /** The stack's Redis, for asserting the feature cache. */
  readonly redis: Redis;
  /** A string unique to this run. */
  readonly runId: string;
  as(claims: TestClaims): Promise<Clients>;
  teller(): Promise<Clients>;
  /** A customer's clients: a new user id and the customer's id as cid. */
  customer(customerId: bigint): Promise<Clients>;
  /** A KYC-verified customer (unless `verified` is false) whose sandbox bureau file has the profile. */
  newCustomer(profile: SandboxProfile, options?: { verified?: boolean }): Promise<bigint>;
  /** Opens an ACTIVE current account and returns its id. */
  newAccount(customerId: bigint, currency?: string): Promise<bigint>;
  /** Deposits money into an account (as a teller), a month's income in the history features. */
  fund(accountId: bigint, amount: string, currency?: string): Promise<void>;
  /** An account's balance as the Account service reports it. */
  balance(accountId: bigint): Promise<string>;
  /** A new applicant of the profile with `income` deposited (3000.00 by default; "0.00": none). */
  applicant(profile: SandboxProfile, income?: string): Promise<Applicant>;
  /** A unique idempotency key. */
  key(tag?: string): string;
  /** Stops the Transaction service (the Loan service's calls fail) until startTransaction. */
  stopTransaction(): Promise<void>;
  startTransaction(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the three services in process and returns the harness around them. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const signer = await createTestSigner();
  const kafka = options.kafka ? { KAFKA_BROKERS: stackVar("KAFKA_BROKERS") } : {};
  // loan.decided and the loan tables reach Kafka through the loan database's connector.
  if (options.kafka) await ensureConnector("loan");
  const account = await startTestService(accountService, {
    env: {
      DATABASE_URL: stackVar("ACCOUNT_DATABASE_URL"),
      SERVICE_CLIENT_ID: "account",
      SERVICE_CLIENT_SECRET: "account-test-client-secret",
      CUSTOMER_LINK_RETRY_MS: "3600000",
      ...kafka,
    },
    signer,
    overrides: { customerLinks: { linkCustomer: async () => {} } },
  });
  const startTransaction = (port?: number) =>
    startTestService(transactionService, {
      env: {
        DATABASE_URL: stackVar("TRANSACTION_DATABASE_URL"),
        REDIS_URL: stackVar("REDIS_URL"),
        ACCOUNT_URL: account.url,
        SERVICE_CLIENT_ID: "transaction",
        SERVICE_CLIENT_SECRET: "transaction-test-client-secret",
        RECOVERY_INTERVAL_MS: "3600000",
      },
      signer,
      port,
    });
  let transaction: Awaited<ReturnType<typeof startTransaction>> | undefined = await startTransaction();
  const transactionPort = transaction.port;
  const clock = createTestClock();
  const loan = await startTestService(loanService, {
    env: {
      DATABASE_URL: stackVar("LOAN_DATABASE_URL"),
      REDIS_URL: stackVar("REDIS_URL"),
      ACCOUNT_URL: account.url,
      TRANSACTION_URL: transaction.url,
      SERVICE_CLIENT_ID: "loan",
      SERVICE_CLIENT_SECRET: "loan-test-client-secret",
      DOWNSTREAM_CALL_TIMEOUT_MS: "3000",
      RECOVERY_INTERVAL_MS: "3600000",
      RECOVERY_MIN_AGE_SECONDS: "1",
      DELINQUENCY_CHECK_INTERVAL_MS: "3600000",
      ...kafka,
      ...options.loanEnv,
    },
    signer,
    overrides: { clock },
  });
  const accountDb = await createDatabasePool(stackVar("ACCOUNT_DATABASE_URL"), { maximumPoolSize: 2 });
  const transactionDb = await createDatabasePool(stackVar("TRANSACTION_DATABASE_URL"), {
    maximumPoolSize: 2,
  });
  const redis = new Redis(stackVar("REDIS_URL"));

  const as = async (claims: TestClaims): Promise<Clients> => {
    const bearer = await signer.bearer(claims, { expiresIn: "30m" });
    return {
      ...clientsOf(callerTransport(loan.url, bearer), { loans: LoanService, credit: CreditService }),
      ...clientsOf(callerTransport(account.url, bearer), {
        accounts: AccountService,
        customers: CustomerService,
      }),
      ...clientsOf(callerTransport(`http://127.0.0.1:${transactionPort}`, bearer), {
        transactions: TransactionService,
      }),
    };
  };

  const runId = `${Date.now().toString(36)}${randomInt(1_000_000).toString(36)}`;
  let seq = 0;
  const userBase = 7_000_000 + randomInt(1_000_000_000);
  const teller = await as({ sub: String(userBase), roles: ["TELLER"] });

  const createCustomer = async (verified: boolean) => {
    const { customer } = await teller.customers.createCustomer({
      firstName: "Grace",
      lastName: `Hopper-${runId}`,
      dateOfBirth: "1980-12-09",
      email: `grace.${runId}.${++seq}@example.com`,
      address: {
        line1: "1 Compiler Way",
        city: "Arlington",
        state: "VA",
        postalCode: "22201",
        country: "US",
      },
    });
    if (verified) {
      await teller.customers.verifyCustomerKyc({
        customerId: customer!.customerId,
        decision: KycStatus.VERIFIED,
        comment: "passport checked",
        documents: ["passport"],
      });
    }
    return customer!.customerId;
  };

  const harness: Harness = {
    signer,
    clock,
    deps: loan.deps,
    loanUrl: loan.url,
    accountDb,
    transactionDb,
    redis,
    runId,
    as,
    teller: () => as({ sub: String(userBase + ++seq), roles: ["TELLER"] }),
    customer: (customerId) => as({ sub: String(userBase + ++seq), roles: ["CUSTOMER"], cid: customerId }),
    async newCustomer(profile, customerOptions = {}) {
      // The sandbox bureau chooses the profile by customer_id mod 3: a customer of another
      // profile is left unverified and unused.
      for (;;) {
        const id = await createCustomer(false);
        if (sandboxProfileOf(id) !== profile) continue;
        if (customerOptions.verified !== false) {
          await teller.customers.verifyCustomerKyc({
            customerId: id,
            decision: KycStatus.VERIFIED,
            comment: "passport checked",
            documents: ["passport"],
          });
        }
        return id;
      }
    },
    async newAccount(customerId, currency = "USD") {
      const { account: opened } = await teller.accounts.openAccount({
        customerId,
        accountType: AccountType.CHECKING,
        currency,
        branchId: 2,
      });
      return opened!.accountId;
    },
    async fund(accountId, amount, currency = "USD") {
      await teller.transactions.deposit({
        accountId,
        amount,
        currency,
        description: "salary",
        idempotencyKey: `fund-${runId}-${++seq}`,
      });
    },
    async balance(accountId) {
      const { accountBalance } = await teller.accounts.getAccountBalance({ accountId });
      return accountBalance!.balance;
    },
    async applicant(profile, income = "3000.00") {
      const customerId = await harness.newCustomer(profile);
      const accountId = await harness.newAccount(customerId);
      if (income !== "0.00") await harness.fund(accountId, income);
      return { customerId, accountId, clients: await harness.customer(customerId) };
    },
    key: (tag = "k") => `${tag}-${runId}-${++seq}`,
    async stopTransaction() {
      await transaction?.close();
      transaction = undefined;
    },
    async startTransaction() {
      transaction ??= await startTransaction(transactionPort);
    },
    async close() {
      await loan.close();
      await transaction?.close();
      await account.close();
      await accountDb.end();
      await transactionDb.end();
      redis.disconnect();
    },
  };
  return harness;
}
