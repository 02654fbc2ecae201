// A fault: the Payment service's process is killed with SIGKILL in the middle of a run of
// payments, then started again. Afterwards every payment is final (or still retryable), a client
// retrying its requests gets the payments it already has, and the money that left the account is
// exactly the amount of the payments that went through. The service runs as its own process
// (node services/payment/main.ts) against the stack's Auth, Account and Transaction services and
// its sandbox processor, with the stack's credentials for the payment client.
import type { ChildProcess } from "node:child_process";
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { z } from "zod";
import { AccountType } from "../../../gen/ts/fidalex/account/v1/account_pb.js";
import { AccountService } from "../../../gen/ts/fidalex/account/v1/account_service_pb.js";
import { KycStatus } from "../../../gen/ts/fidalex/account/v1/customer_pb.js";
import { CustomerService } from "../../../gen/ts/fidalex/account/v1/customer_service_pb.js";
import { AuthService } from "../../../gen/ts/fidalex/auth/v1/auth_service_pb.js";
import { PaymentMethod } from "../../../gen/ts/fidalex/payment/v1/payment_pb.js";
import { PaymentService } from "../../../gen/ts/fidalex/payment/v1/payment_service_pb.js";
import { TransactionService } from "../../../gen/ts/fidalex/transaction/v1/transaction_service_pb.js";
import { createDatabasePool, sql, type DatabasePool } from "../../runtime/database.js";
import { money, formatAmount } from "../../runtime/money.js";
import { eventually } from "../../../test/support/eventually.js";
import { callerTransport } from "../../../test/support/service-harness.js";
import { freePort, startServiceProcess } from "../../../test/support/service-process.js";
import { stackVar } from "../../../test/support/stack.js";
import { paymentRequest } from "./harness.js";

let db: DatabasePool;
let child: ChildProcess | undefined;
let port: number;

/** Starts the Payment service as its own process, as the stack runs it; resolves once it serves. */
const startChild = () =>
  startServiceProcess("payment", {
    port,
    env: { PROCESSOR_POLL_MS: "300", PROCESSING_INTERVAL_MS: "300", PAYMENT_RATE_LIMIT: "1000" },
  });

beforeAll(async () => {
  db = await createDatabasePool(stackVar("PAYMENT_DATABASE_URL"), { maximumPoolSize: 2 });
  port = await freePort();
  child = await startChild();
}, 120_000);

afterAll(async () => {
  child?.kill("SIGKILL");
  await db?.end();
});

/** The bootstrap admin's clients of the stack's services. */
async function admin() {
  const auth = createClient(AuthService, createGrpcTransport({ baseUrl: stackVar("AUTH_URL") }));
  const { tokens } = await auth.login({
    username: stackVar("BOOTSTRAP_ADMIN_USERNAME"),
    password: stackVar("BOOTSTRAP_ADMIN_PASSWORD"),
  });
  const bearer = `Bearer ${tokens!.accessToken}`;
  const at = (url: string) => callerTransport(url, bearer);
  return {
    customers: createClient(CustomerService, at(stackVar("ACCOUNT_URL"))),
    accounts: createClient(AccountService, at(stackVar("ACCOUNT_URL"))),
    transactions: createClient(TransactionService, at(stackVar("TRANSACTION_URL"))),
    payments: (): Client<typeof PaymentService> =>
      createClient(PaymentService, at(`http://127.0.0.1:${port}`)),
  };
}

it("after a SIGKILL mid-run, every payment ends final and the debits equal the payments that went through", async () => {
  const staff = await admin();
  const run = Date.now().toString(36);
  const { customer } = await staff.customers.createCustomer({
    firstName: "Crash",
    lastName: `Test-${run}`,
    dateOfBirth: "1970-01-01",
    address: { line1: "1 Fault Lane", city: "Resilience", country: "US" },
  });
  await staff.customers.verifyCustomerKyc({
    customerId: customer!.customerId,
    decision: KycStatus.VERIFIED,
    comment: "fault test",
    documents: ["passport"],
  });
  const { account } = await staff.accounts.openAccount({
    customerId: customer!.customerId,
    accountType: AccountType.CHECKING,
    currency: "USD",
    branchId: 1,
  });
  const accountId = account!.accountId;
  await staff.transactions.deposit({
    accountId,
    amount: "10000.00",
    currency: "USD",
    description: "fault test funds",
    idempotencyKey: `crash-fund-${run}`,
  });

  // 30 payments: cards, wires, and declines (.13) that must come back; the process dies mid-run.
  const requests = Array.from({ length: 30 }, (_, i) =>
    paymentRequest(accountId, `crash-${run}-${i}`, {
      amount: i % 5 === 4 ? `${10 + i}.13` : `${10 + i}.00`,
      method: i % 3 === 0 ? PaymentMethod.WIRE : PaymentMethod.CARD,
    }),
  );
  const payments = staff.payments();
  const inFlight = requests.map((request, i) =>
    new Promise((resolve) => setTimeout(resolve, i * 40)).then(() => payments.createPayment(request)),
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  child!.kill("SIGKILL");
  const first = await Promise.allSettled(inFlight);
  expect(first.some((r) => r.status === "rejected")).toBe(true);

  child = await startChild();
  // The client retries everything with the same references: no payment is made twice.
  const retried = await Promise.allSettled(
    requests.map((request) => staff.payments().createPayment(request)),
  );
  for (const result of retried) {
    if (result.status === "rejected") {
      // Only the ledger's refusals may remain errors; none is expected with these funds.
      expect(ConnectError.from(result.reason).code).toBe(Code.FailedPrecondition);
    }
  }
  const rows = z.array(z.object({ status: z.string(), funds_state: z.string(), amount: z.string() }));
  const final = await eventually(
    "every payment final, its money settled",
    async () => {
      const found = rows.parse(
        await db.any(sql.unsafe`
          SELECT status, funds_state, amount FROM payments WHERE account_id = ${accountId}
        `),
      );
      const done = found.every(
        (p) =>
          (p.status === "COMPLETED" && p.funds_state === "DEBITED") ||
          (p.status === "FAILED" && ["RELEASED", "NONE"].includes(p.funds_state)),
      );
      if (found.length === requests.length && done) return found;
      const open = found.filter(
        (p) =>
          !["COMPLETED/DEBITED", "FAILED/RELEASED", "FAILED/NONE"].includes(`${p.status}/${p.funds_state}`),
      );
      throw new Error(
        `${found.length} payments, still open: ${open.map((p) => `${p.status}/${p.funds_state}`).join(", ")}`,
      );
    },
    { timeoutMs: 90_000, intervalMs: 500 },
  );
  expect(final.filter((p) => p.status === "FAILED")).toHaveLength(6);
  const paidOut = final
    .filter((p) => p.funds_state === "DEBITED")
    .reduce((sum, p) => sum.plus(p.amount), money("0"));
  const { accountBalance } = await staff.accounts.getAccountBalance({ accountId });
  expect(accountBalance!.balance).toBe(formatAmount(money("10000.00").minus(paidOut)));
}, 180_000);
