// The stack's own bank, driven as its staff drive it: the bootstrap admin logged in through the
// stack's Auth service, customers and accounts opened through its Account service, deposits and
// transfers through its Transaction service, over gRPC straight to each service. For the tests and
// the benchmark that need real transfers through the whole change-data path (outbox and tables →
// Debezium → Kafka → the Insights loader), not events produced by hand.
import { randomInt } from "node:crypto";
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { AccountType } from "../../../../gen/ts/fidalex/account/v1/account_pb.js";
import { AccountService } from "../../../../gen/ts/fidalex/account/v1/account_service_pb.js";
import { KycStatus } from "../../../../gen/ts/fidalex/account/v1/customer_pb.js";
import { CustomerService } from "../../../../gen/ts/fidalex/account/v1/customer_service_pb.js";
import { AuthService } from "../../../../gen/ts/fidalex/auth/v1/auth_service_pb.js";
import { TransactionStatus } from "../../../../gen/ts/fidalex/transaction/v1/transaction_pb.js";
import { TransactionService } from "../../../../gen/ts/fidalex/transaction/v1/transaction_service_pb.js";
import { createFourEyesDeposit } from "../../../../test/support/four-eyes.js";
import { callerTransport } from "../../../../test/support/service-harness.js";
import { stackVar } from "../../../../test/support/stack.js";

/** An account the bank opened, with its home branch. */
export interface OpenedAccount {
  accountId: bigint;
  branchId: number;
}

/** What became of one transfer. */
export interface TransferOutcome {
  key: string;
  /** The transaction's id, once the Transaction service answered. */
  transactionId?: bigint;
  status?: TransactionStatus;
  /** The last error when no call answered (the transfer may still have happened). */
  error?: string;
  /** Calls made: retries of UNAVAILABLE/DEADLINE_EXCEEDED reuse the idempotency key. */
  attempts: number;
}

export interface StackBank {
  /** A string unique to this run, for idempotency keys and names. */
  readonly run: string;
  /** Opens `count` ACTIVE USD checking accounts, each funded, round-robin over the branches. */
  openAccounts(count: number, branches: number[], funding?: string): Promise<OpenedAccount[]>;
  /** One transfer, retried with its key while the Transaction service cannot answer. */
  transfer(from: bigint, to: bigint, amount: string, key: string): Promise<TransferOutcome>;
}

const serviceUrl = (name: string) => `http://${stackVar("FIDALEX_HOST")}:${stackVar(`FIDALEX_${name}_PORT`)}`;

/** Logs the stack's bootstrap admin in and returns staff clients of the stack's services. */
export async function connectStackBank(): Promise<StackBank> {
  const auth = createClient(AuthService, callerTransport(serviceUrl("AUTH")));
  let clients: {
    accounts: Client<typeof AccountService>;
    customers: Client<typeof CustomerService>;
    transactions: Client<typeof TransactionService>;
  };
  let loggedInAt = 0;
  let adminBearer = "";
  const login = async () => {
    const { tokens } = await auth.login({
      username: stackVar("BOOTSTRAP_ADMIN_USERNAME"),
      password: stackVar("BOOTSTRAP_ADMIN_PASSWORD"),
    });
    const bearer = `Bearer ${tokens!.accessToken}`;
    adminBearer = bearer;
    clients = {
      accounts: createClient(AccountService, callerTransport(serviceUrl("ACCOUNT"), bearer)),
      customers: createClient(CustomerService, callerTransport(serviceUrl("ACCOUNT"), bearer)),
      transactions: createClient(TransactionService, callerTransport(serviceUrl("TRANSACTION"), bearer)),
    };
    loggedInAt = Date.now();
  };
  await login();
  // Access tokens live 5 minutes: log in again well before.
  const fresh = async () => {
    if (Date.now() - loggedInAt > 3 * 60_000) await login();
    return clients;
  };
  const run = `${Date.now().toString(36)}${randomInt(1_000_000).toString(36)}`;
  // Each openAccounts makes a customer of its own: emails are unique.
  let customersMade = 0;

  // Deposits above the bank's cash approval threshold wait for a second staff member (four eyes).
  const deposit = createFourEyesDeposit({
    auth,
    adminBearer: async () => {
      await fresh();
      return adminBearer;
    },
    run,
  });

  const transfer = async (from: bigint, to: bigint, amount: string, key: string) => {
    const outcome: TransferOutcome = { key, attempts: 0 };
    const deadline = Date.now() + 120_000;
    for (;;) {
      outcome.attempts++;
      try {
        const { transactions } = await fresh();
        const { transaction } = await transactions.transfer(
          { fromAccountId: from, toAccountId: to, amount, currency: "USD", idempotencyKey: key },
          { timeoutMs: 15_000 },
        );
        outcome.transactionId = transaction!.transactionId;
        outcome.status = transaction!.status;
        outcome.error = undefined;
        return outcome;
      } catch (error) {
        const code = ConnectError.from(error).code;
        outcome.error = ConnectError.from(error).message;
        const transient = [Code.Unavailable, Code.DeadlineExceeded, Code.Aborted, Code.Internal].includes(
          code,
        );
        if (code === Code.Unauthenticated) await login();
        else if (!transient || Date.now() > deadline) return outcome;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  };

  return {
    run,
    async openAccounts(count, branches, funding = "1000000.00") {
      const { customers, accounts, transactions } = await fresh();
      const customerNo = ++customersMade;
      const { customer } = await customers.createCustomer({
        firstName: "Ada",
        lastName: `Warehouse-${run}`,
        dateOfBirth: "1985-12-10",
        email: `ada.warehouse.${run}.${customerNo}@example.com`,
        phoneNumber: "+15550100",
        address: {
          line1: "12 Analytical Row",
          city: "Springfield",
          state: "IL",
          postalCode: "62701",
          country: "US",
        },
      });
      const customerId = customer!.customerId;
      await customers.verifyCustomerKyc({
        customerId,
        decision: KycStatus.VERIFIED,
        comment: "passport checked",
        documents: [`doc-${run}-${customerNo}`],
      });
      const opened: OpenedAccount[] = [];
      for (let i = 0; i < count; i++) {
        const branchId = branches[i % branches.length]!;
        const { account } = await accounts.openAccount({
          customerId,
          accountType: AccountType.CHECKING,
          currency: "USD",
          branchId,
          dailyWithdrawalLimit: "100000000.00",
        });
        await deposit(transactions, {
          accountId: account!.accountId,
          amount: funding,
          currency: "USD",
          idempotencyKey: `fund-${run}-${account!.accountId}`,
        });
        opened.push({ accountId: account!.accountId, branchId });
      }
      return opened;
    },
    transfer,
  };
}

/** How a load of transfers runs. */
export interface TransferLoad {
  /** Transfers to make; without it the load runs until `signal` aborts. */
  count?: number;
  signal?: AbortSignal;
  /** Transfers started per second at most. */
  perSecond: number;
  /** Transfers in flight at most. */
  inFlight: number;
  /** Picks the accounts of the i-th transfer. */
  pick(i: number): [bigint, bigint];
}

/** Loads run so far in this process: each load's idempotency keys are its own. */
let loads = 0;

/**
 * Runs transfers at a steady rate with a bounded number in flight, `count` of them or until `signal`
 * aborts; resolves with every outcome once all have answered (or given up). Amounts are random,
 * below 10.00.
 */
export async function runTransferLoad(bank: StackBank, load: TransferLoad): Promise<TransferOutcome[]> {
  const loadNo = ++loads;
  const outcomes: TransferOutcome[] = [];
  const running = new Set<Promise<void>>();
  const started = performance.now();
  for (let i = 0; (load.count === undefined || i < load.count) && !load.signal?.aborted; i++) {
    const due = started + (i * 1000) / load.perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    while (running.size >= load.inFlight) await Promise.race(running);
    const [from, to] = load.pick(i);
    const amount = `${randomInt(0, 10)}.${String(randomInt(1, 100)).padStart(2, "0")}`;
    const task = bank
      .transfer(from, to, amount, `load-${bank.run}-${loadNo}-${i}`)
      .then((outcome) => void outcomes.push(outcome));
    const tracked = task.finally(() => running.delete(tracked));
    running.add(tracked);
  }
  await Promise.all(running);
  return outcomes;
}
