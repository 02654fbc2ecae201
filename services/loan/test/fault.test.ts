// A crash between approval and payout: the Loan service runs as its own process
// (`node --import tsx services/loan/main.ts`, the real entry point, with its own configuration),
// approves a loan whose payout cannot settle yet, and is killed with SIGKILL: no shutdown, nothing
// finished. Started again, its recovery worker pays the loan out, and the principal reaches the
// customer's account exactly once. Two crashes are tested: before the Transaction service took the
// payout (it was down), and after it recorded it without an outcome (its Account service was down).
//
// Around the process, in this test: the real Auth service (it issues the Loan process its SERVICE
// token from the `loan` client's secret, and publishes the key tokens are verified with), an
// Account service for the Loan process, and the Transaction service with an Account service of its
// own, so each can be stopped alone.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { randomBytes } from "node:crypto";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { HealthCheckResponse_ServingStatus, Health } from "../../../gen/ts/grpc/health/v1/health_pb.js";
import { AccountType } from "../../../gen/ts/fidalex/account/v1/account_pb.js";
import { AccountService } from "../../../gen/ts/fidalex/account/v1/account_service_pb.js";
import { KycStatus } from "../../../gen/ts/fidalex/account/v1/customer_pb.js";
import { CustomerService } from "../../../gen/ts/fidalex/account/v1/customer_service_pb.js";
import { LoanApplicationStatus } from "../../../gen/ts/fidalex/loan/v1/loan_application_pb.js";
import { LoanDisbursementStatus } from "../../../gen/ts/fidalex/loan/v1/loan_pb.js";
import { LoanService } from "../../../gen/ts/fidalex/loan/v1/loan_service_pb.js";
import { TransactionService } from "../../../gen/ts/fidalex/transaction/v1/transaction_service_pb.js";
import { accountService } from "../../account/main.js";
import { startAuthTestServer, type AuthTestServer } from "../../auth/test/auth-test-server.js";
import { createDatabasePool, type DatabasePool } from "../../runtime/database.js";
import { transactionService } from "../../transaction/main.js";
import { eventually } from "../../../test/support/eventually.js";
import { callerTransport, clientsOf, startTestService } from "../../../test/support/service-harness.js";
import { repoDir, stackVar } from "../../../test/support/stack.js";
import { createTestSigner, type TestSigner } from "../../../test/support/test-tokens.js";
import { Redis } from "ioredis";
import { featureKey } from "../credit/applicant-features.js";
import { sandboxProfileOf } from "../credit/sandbox-bureau.js";
import { applicationOf, payoutTransfers } from "./support/harness.js";

type Running = Awaited<ReturnType<typeof startTestService>>;

const loanSecret = randomBytes(24).toString("base64url");
let auth: AuthTestServer;
let signer: TestSigner;
let loanAccounts: Running; // the Account service the Loan process asks
let txnAccounts: Restartable; // the Account service the Transaction service posts to
let transaction: Restartable;
let transactionDb: DatabasePool;
let loanPort: number;
let loanProcess: { child: ChildProcess; output: string[] } | undefined;
let redis: Redis;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A service a test stops (an outage) and starts again on the same port. */
interface Restartable {
  readonly port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

async function restartable(startOn: (port?: number) => Promise<Running>): Promise<Restartable> {
  let running: Running | undefined = await startOn();
  const port = running.port;
  return {
    port,
    async stop() {
      await running?.close();
      running = undefined;
    },
    async start() {
      running ??= await startOn(port);
    },
  };
}

/** An Account service over the stack's account database (two run: one each for Loan and Transaction). */
const startAccounts = (port?: number) =>
  startTestService(accountService, {
    env: {
      DATABASE_URL: stackVar("ACCOUNT_DATABASE_URL"),
      SERVICE_CLIENT_ID: "account",
      SERVICE_CLIENT_SECRET: "account-test-client-secret",
    },
    signer,
    overrides: { customerLinks: { linkCustomer: async () => {} } },
    port,
  });

const startTransaction = (port?: number) =>
  startTestService(transactionService, {
    env: {
      DATABASE_URL: stackVar("TRANSACTION_DATABASE_URL"),
      ACCOUNT_URL: `http://127.0.0.1:${txnAccounts.port}`,
      SERVICE_CLIENT_ID: "transaction",
      SERVICE_CLIENT_SECRET: "transaction-test-client-secret",
      // A replay of a transaction left PENDING applies its postings after 2 s.
      ACCOUNT_CALL_TIMEOUT_MS: "1000",
      RECOVERY_INTERVAL_MS: "3600000",
    },
    signer,
    port,
  });

/** Starts `node --import tsx services/loan/main.ts` and waits until it serves. */
async function startLoanProcess() {
  // Jest's NODE_OPTIONS (VM modules) are not for the service's process.
  const inherited = { ...process.env };
  delete inherited.NODE_OPTIONS;
  const child = spawn(process.execPath, ["--import", "tsx", "services/loan/main.ts"], {
    cwd: repoDir,
    env: {
      ...inherited,
      PORT: String(loanPort),
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      DATABASE_URL: stackVar("LOAN_DATABASE_URL"),
      REDIS_URL: stackVar("REDIS_URL"),
      AUTH_URL: auth.url,
      ACCOUNT_URL: loanAccounts.url,
      TRANSACTION_URL: `http://127.0.0.1:${transaction.port}`,
      SERVICE_CLIENT_ID: "loan",
      SERVICE_CLIENT_SECRET: loanSecret,
      DOWNSTREAM_CALL_TIMEOUT_MS: "2000",
      RECOVERY_INTERVAL_MS: "500",
      RECOVERY_MIN_AGE_SECONDS: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  child.stdout!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  loanProcess = { child, output };
  const health = createClient(Health, createGrpcTransport({ baseUrl: `http://127.0.0.1:${loanPort}` }));
  await eventually(
    "the Loan process serving",
    async () => {
      if (child.exitCode !== null)
        throw new Error(`the Loan process exited: ${output.join("").slice(-2000)}`);
      const { status } = await health.check({ service: "" }, { timeoutMs: 1_000 });
      return status === HealthCheckResponse_ServingStatus.SERVING ? true : undefined;
    },
    { timeoutMs: 60_000 },
  );
}

/** Kills the Loan process at once: SIGKILL, no shutdown. */
async function killLoanProcess() {
  const running = loanProcess;
  loanProcess = undefined;
  if (!running || running.child.exitCode !== null) return;
  const exited = new Promise((resolve) => running.child.once("exit", resolve));
  running.child.kill("SIGKILL");
  await exited;
}

beforeAll(async () => {
  // The Auth service knows the loan client; services and tests sign with its key.
  const clients = { account: "account-test-client-secret", transaction: "transaction-test-client-secret" };
  auth = await startAuthTestServer({
    env: {
      SERVICE_CLIENT_SECRETS: Object.entries({ ...clients, loan: loanSecret })
        .map(([id, secret]) => `${id}=${secret}`)
        .join(","),
    },
  });
  signer = await createTestSigner({ privateJwk: auth.signingKeys[0] });
  loanAccounts = await startAccounts();
  txnAccounts = await restartable(startAccounts);
  transaction = await restartable(startTransaction);
  transactionDb = await createDatabasePool(stackVar("TRANSACTION_DATABASE_URL"), { maximumPoolSize: 2 });
  loanPort = await freePort();
  redis = new Redis(stackVar("REDIS_URL"));
  await startLoanProcess();
}, 120_000);

afterAll(async () => {
  await killLoanProcess();
  await transaction?.stop();
  await txnAccounts?.stop();
  await loanAccounts?.close();
  await transactionDb?.end();
  await auth?.close();
  redis?.disconnect();
});

afterEach(() => {
  // What the Loan process logged, when a test failed, to see why.
  const state = expect.getState();
  if (state.assertionCalls !== state.numPassingAsserts && loanProcess) {
    console.log(loanProcess.output.join("").slice(-4000));
  }
});

const clientsFor = async (claims: Parameters<TestSigner["bearer"]>[0]) => {
  const bearer = await signer.bearer(claims, { expiresIn: "30m" });
  return {
    ...clientsOf(callerTransport(`http://127.0.0.1:${loanPort}`, bearer), { loans: LoanService }),
    ...clientsOf(callerTransport(loanAccounts.url, bearer), {
      accounts: AccountService,
      customers: CustomerService,
    }),
    ...clientsOf(callerTransport(`http://127.0.0.1:${transaction.port}`, bearer), {
      transactions: TransactionService,
    }),
  };
};

/**
 * A GOOD-profile customer with a funded account and a first loan already paid out: its features
 * are cached (so the next one is assessed without the Transaction service), and the Transaction
 * service knows its accounts (so it records a payout even while its Account service is down).
 */
async function borrower() {
  const teller = await clientsFor({ sub: String(8_100_000 + (Date.now() % 1_000_000)), roles: ["TELLER"] });
  let customerId: bigint;
  do {
    const { customer } = await teller.customers.createCustomer({
      firstName: "Katherine",
      lastName: "Johnson",
      dateOfBirth: "1918-08-26",
      email: `katherine.${randomBytes(6).toString("hex")}@example.com`,
      address: { line1: "1 Orbit Road", city: "Hampton", state: "VA", postalCode: "23666", country: "US" },
    });
    customerId = customer!.customerId;
  } while (sandboxProfileOf(customerId) !== "GOOD");
  await teller.customers.verifyCustomerKyc({
    customerId,
    decision: KycStatus.VERIFIED,
    comment: "ok",
    documents: ["id"],
  });
  const { account } = await teller.accounts.openAccount({
    customerId,
    accountType: AccountType.CHECKING,
    currency: "USD",
    branchId: 1,
  });
  const accountId = account!.accountId;
  await teller.transactions.deposit({
    accountId,
    amount: "3000.00",
    currency: "USD",
    idempotencyKey: `fault-${randomBytes(6).toString("hex")}`,
  });
  // The stack's own Loan service drops cached features when a transaction.completed event for the
  // customer arrives: let the deposit's event pass before the features are computed and cached.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const customer = await clientsFor({
    sub: String(8_200_000 + (Date.now() % 1_000_000)),
    roles: ["CUSTOMER"],
    cid: customerId,
  });
  const apply = (amount: string) =>
    customer.loans.applyForLoan(
      applicationOf({ customerId, accountId }, { amountRequested: amount, termMonths: 12 }),
    );
  const first = await apply("500.00");
  expect(first.loanApplication!.status).toBe(LoanApplicationStatus.APPROVED);
  const features = await redis.get(featureKey(customerId));
  const balance = async () =>
    (await teller.accounts.getAccountBalance({ accountId })).accountBalance!.balance;
  await eventually("the first payout", async () => ((await balance()) === "3500.00" ? true : undefined));
  // The payout's event may drop the cached features too (the stack's Loan service consumes it):
  // wait for that, then put them back, so that the next application is assessed from the cache.
  await eventually(
    "the payout's event handled",
    async () => ((await redis.exists(featureKey(customerId))) === 0 ? true : undefined),
    {
      timeoutMs: 5_000,
    },
  ).catch(() => undefined);
  if (features) await redis.set(featureKey(customerId), features, "EX", 3_600);
  return { customer, apply, balance, accountId };
}

/** After the restart: the loan is paid out, once. */
async function expectPaidOutOnce(b: Awaited<ReturnType<typeof borrower>>, loanId: bigint) {
  const { loan } = await eventually("the payout after the restart", async () => {
    const found = await b.customer.loans.getLoan({ loanId });
    return found.loan!.disbursementStatus === LoanDisbursementStatus.DISBURSED ? found : undefined;
  });
  expect(loan!.disbursementTransactionId).toBeGreaterThan(0n);
  expect(await b.balance()).toBe("5500.00");
  expect(await payoutTransfers(transactionDb, loanId)).toBe(1);
  const { transactions } = await b.customer.transactions.listAccountTransactions({ accountId: b.accountId });
  expect(
    transactions.filter((t) => t.description === `Loan ${loanId}: payout of the principal`),
  ).toHaveLength(1);
  // Some time later, still once.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  expect(await b.balance()).toBe("5500.00");
}

/**
 * Approves a loan while a service is stopped so that its payout cannot settle, kills the Loan
 * process, starts the service again, restarts the process and checks the loan is paid out exactly
 * once.
 */
async function crashBetweenApprovalAndPayout(
  outage: Restartable,
  whilePending?: (loanId: bigint) => Promise<void>,
) {
  const b = await borrower();
  await outage.stop();
  let loanId: bigint;
  try {
    const { loanApplication } = await b.apply("2000.00");
    expect(loanApplication!.status).toBe(LoanApplicationStatus.APPROVED);
    loanId = loanApplication!.loanId;
    const { loan } = await b.customer.loans.getLoan({ loanId });
    expect(loan!.disbursementStatus).toBe(LoanDisbursementStatus.PENDING);
    await whilePending?.(loanId);
    await killLoanProcess();
  } finally {
    await outage.start();
  }
  expect(await b.balance()).toBe("3500.00");
  await startLoanProcess();
  await expectPaidOutOnce(b, loanId);
}

it("pays out exactly once after being killed while the Transaction service was down", () =>
  crashBetweenApprovalAndPayout(transaction));

it("pays out exactly once after being killed while the payout was recorded without an outcome", () =>
  crashBetweenApprovalAndPayout(txnAccounts, async (loanId) => {
    // The Transaction service holds the payout PENDING: recorded, not applied.
    expect(await payoutTransfers(transactionDb, loanId)).toBe(1);
  }));
