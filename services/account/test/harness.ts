// Test harness of the Account service: the real service, in process on port 0
// (test/support/service-harness.ts), over the stack's account database, verifying tokens with the
// real runtime code against a test signing key.
// Tokens carry the claims the Auth service issues (docs/services.md); the Auth service's customer
// links are a recording fake, since these tests are not about Auth.
import { randomInt } from "node:crypto";
import type { Client, ConnectError } from "@connectrpc/connect";
import { AccountService } from "../../../gen/ts/fidalex/account/v1/account_service_pb.js";
import { CustomerService } from "../../../gen/ts/fidalex/account/v1/customer_service_pb.js";
import { PostingDirection, PostingKind } from "../../../gen/ts/fidalex/account/v1/posting_pb.js";
import { PostingService } from "../../../gen/ts/fidalex/account/v1/posting_service_pb.js";
import { createDatabasePool, sql, type DatabasePool } from "../../runtime/database.js";
import {
  createCustomer,
  customerData as fixtureCustomerData,
  openAccount,
  type AccountOptions,
} from "../../../test/support/banking-fixtures.js";
import { callerTransport, clientsOf, startTestService } from "../../../test/support/service-harness.js";
import { stackVar } from "../../../test/support/stack.js";
import { createTestSigner, type TestClaims } from "../../../test/support/test-tokens.js";
import type { CustomerLinks } from "../customer/customer-link.js";
import { accountService } from "../main.js";

/** Connect clients of the three services, all sending one caller's token. */
export interface Clients {
  customers: Client<typeof CustomerService>;
  accounts: Client<typeof AccountService>;
  postings: Client<typeof PostingService>;
}

/** Tokens and refusals as every service's tests check them (test/support/test-tokens.ts). */
export { errorMetadata, expectRefusal, type TestClaims } from "../../../test/support/test-tokens.js";

/** A CustomerLinks fake that records every call and fails on demand. */
export interface RecordingLinks extends CustomerLinks {
  readonly calls: Array<{ userId: bigint; customerId: bigint }>;
  /** The next `times` calls fail with this error. */
  failNext(error: ConnectError, times?: number): void;
}

export function createRecordingLinks(): RecordingLinks {
  const calls: Array<{ userId: bigint; customerId: bigint }> = [];
  const failures: ConnectError[] = [];
  return {
    calls,
    failNext(error, times = 1) {
      for (let i = 0; i < times; i++) failures.push(error);
    },
    async linkCustomer(userId, customerId) {
      calls.push({ userId, customerId });
      const failure = failures.shift();
      if (failure) throw failure;
    },
  };
}

export interface Harness {
  readonly baseUrl: string;
  /** The account database, for asserting rows. */
  readonly db: DatabasePool;
  readonly links: RecordingLinks;
  /** A string unique to this run, for unique emails, cities and names. */
  readonly runId: string;
  /** Clients carrying a token with these claims. */
  as(claims: TestClaims): Promise<Clients>;
  /** Clients that send no token. */
  anonymous(): Clients;
  /** A signed access token with these claims. */
  token(claims: TestClaims): Promise<string>;
  teller(): Promise<Clients>;
  admin(): Promise<Clients>;
  service(): Promise<Clients>;
  /** A user id no other test run uses. */
  newUserId(): bigint;
  /** A transaction id no other test run uses. */
  newTransactionId(): bigint;
  close(): Promise<void>;
}

/** Starts the Account server in process and returns the harness around it. */
export async function startHarness(options: { poolSize?: number } = {}): Promise<Harness> {
  const url = stackVar("ACCOUNT_DATABASE_URL");
  const signer = await createTestSigner();
  const links = createRecordingLinks();
  const service = await startTestService(accountService, {
    env: {
      DATABASE_URL: url,
      DATABASE_POOL_SIZE: String(options.poolSize ?? 16),
      SERVICE_CLIENT_ID: "account",
      SERVICE_CLIENT_SECRET: "account-test-client-secret",
      // The tests run the link retries themselves (runOnce).
      CUSTOMER_LINK_RETRY_MS: "3600000",
    },
    signer,
    overrides: { customerLinks: links },
  });
  const db = await createDatabasePool(url, { maximumPoolSize: 4 });

  const runId = `${Date.now().toString(36)}${randomInt(1_000_000).toString(36)}`;
  let userSeq = 0n;
  const userBase = BigInt(Date.now()) * 1_000n + BigInt(randomInt(1_000));
  let txnSeq = 0n;
  const txnBase = BigInt(Date.now()) * 1_000_000n + BigInt(randomInt(100)) * 10_000n;
  let staffSeq = 0;

  const clients = (bearer?: string): Clients =>
    clientsOf(callerTransport(service.url, bearer), {
      customers: CustomerService,
      accounts: AccountService,
      postings: PostingService,
    });
  const as = async (claims: TestClaims): Promise<Clients> => clients(await signer.bearer(claims));

  return {
    baseUrl: service.url,
    db,
    links,
    runId,
    as,
    anonymous: () => clients(),
    token: (claims) => signer.sign(claims),
    teller: () => as({ sub: String(900_000 + ++staffSeq), roles: ["TELLER"] }),
    admin: () => as({ sub: String(800_000 + ++staffSeq), roles: ["ADMIN"] }),
    service: () => as({ sub: "svc:transaction", roles: ["SERVICE"] }),
    newUserId: () => userBase + ++userSeq,
    newTransactionId: () => txnBase + ++txnSeq,
    async close() {
      await service.close();
      await db.end();
    },
  };
}

/** A new customer's request data, unique to the run. */
export function customerData(h: Pick<Harness, "runId">, tag: string, city = "Springfield") {
  return fixtureCustomerData(h.runId, tag, city);
}

/** Creates a customer as staff (no user linked), optionally KYC-verified. */
export function newCustomer(
  h: Harness,
  staff: Clients,
  tag: string,
  options: { verified?: boolean; city?: string } = {},
): Promise<bigint> {
  return createCustomer(staff, customerData(h, tag, options.city), { verified: options.verified, tag });
}

/** Opens an account as staff and returns its id. */
export const newAccount = (staff: Clients, customerId: bigint, options: AccountOptions = {}) =>
  openAccount(staff, customerId, options);

/** The bank's settlement account in a currency (the accounts of customer 1). */
export async function settlementAccount(staff: Clients, currency: string): Promise<bigint> {
  const { accounts } = await staff.accounts.listCustomerAccounts({ customerId: 1n, pageSize: 500 });
  const account = accounts.find((a) => a.currency === currency);
  if (!account) throw new Error(`no settlement account in ${currency}`);
  return account.accountId;
}

/** A two-posting request moving `amount` from one account to another. */
export function transfer(
  transactionId: bigint,
  from: bigint,
  to: bigint,
  amount: string,
  options: { currency?: string; kind?: PostingKind } = {},
) {
  const currency = options.currency ?? "USD";
  return {
    transactionId,
    kind: options.kind ?? PostingKind.TRANSFER,
    changedBy: "transaction-service",
    postings: [
      { accountId: from, direction: PostingDirection.DEBIT, amount, currency },
      { accountId: to, direction: PostingDirection.CREDIT, amount, currency },
    ],
  };
}

/** Deposits money into an account against the settlement account, as the Transaction service would. */
export async function deposit(
  h: Harness,
  service: Clients,
  settlement: bigint,
  accountId: bigint,
  amount: string,
) {
  return service.postings.applyPostings(
    transfer(h.newTransactionId(), settlement, accountId, amount, { kind: PostingKind.DEPOSIT }),
  );
}

/** An account's stored balance, read from the database. */
export async function storedBalance(h: Harness, accountId: bigint): Promise<string> {
  return h.db.oneFirst(
    sql.unsafe`SELECT balance FROM accounts WHERE account_id = ${accountId}`,
  ) as Promise<string>;
}
