// Payments per second at 32 concurrent callers, against the ledger's own ceiling in the same run.
// A card payment is one ledger transfer (the debit into the settlement account) plus one call to
// the sandbox processor, so the bench also measures plain transfers over the same accounts and
// prints the ratio. The Payment service runs as its own process (node services/payment/main.ts)
// against the running stack's Auth, Account and Transaction services and sandbox processor, with
// the rate limit lifted; the stack must be up (npm start).
//
//   npm run bench:payment          (BENCH_SECONDS=15 per phase, BENCH_CALLERS=32, BENCH_ACCOUNTS=64)
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AccountType } from "../gen/ts/fidalex/account/v1/account_pb.js";
import { AccountService } from "../gen/ts/fidalex/account/v1/account_service_pb.js";
import { KycStatus } from "../gen/ts/fidalex/account/v1/customer_pb.js";
import { CustomerService } from "../gen/ts/fidalex/account/v1/customer_service_pb.js";
import { AuthService } from "../gen/ts/fidalex/auth/v1/auth_service_pb.js";
import { PaymentMethod } from "../gen/ts/fidalex/payment/v1/payment_pb.js";
import { PaymentService } from "../gen/ts/fidalex/payment/v1/payment_service_pb.js";
import { TransactionService } from "../gen/ts/fidalex/transaction/v1/transaction_service_pb.js";
import { createFourEyesDeposit } from "../test/support/four-eyes.js";
import { callerTransport } from "../test/support/service-harness.js";
import { freePort, startServiceProcess } from "../test/support/service-process.js";
import { ensureStackUp, stackVar } from "../test/support/stack.js";

const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const callers = Number(process.env.BENCH_CALLERS ?? 32);
const accountCount = Number(process.env.BENCH_ACCOUNTS ?? 64);
const run = Date.now().toString(36);

/** Runs `callers` loops of `call` for the time and prints what they achieved; returns calls/s. */
async function phase(name: string, call: (n: number) => Promise<unknown>): Promise<number> {
  const latencies: number[] = [];
  let failed = 0;
  let n = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          await call(n++);
          latencies.push(performance.now() - t0);
        } catch {
          failed++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  const rate = latencies.length / elapsed;
  console.log(
    `${name.padEnd(24)} ${rate.toFixed(1).padStart(7)} /s  (${latencies.length} ok, ${failed} failed in ${elapsed.toFixed(1)} s; ` +
      `p50 ${at(0.5).toFixed(0)} ms, p99 ${at(0.99).toFixed(0)} ms)`,
  );
  return rate;
}

async function main() {
  ensureStackUp();
  const auth = createClient(AuthService, createGrpcTransport({ baseUrl: stackVar("AUTH_URL") }));
  const { tokens } = await auth.login({
    username: stackVar("BOOTSTRAP_ADMIN_USERNAME"),
    password: stackVar("BOOTSTRAP_ADMIN_PASSWORD"),
  });
  const bearer = `Bearer ${tokens!.accessToken}`;
  const customers = createClient(CustomerService, callerTransport(stackVar("ACCOUNT_URL"), bearer));
  const accounts = createClient(AccountService, callerTransport(stackVar("ACCOUNT_URL"), bearer));
  const transactions = createClient(TransactionService, callerTransport(stackVar("TRANSACTION_URL"), bearer));
  // Fundings above the cash approval threshold need a second staff member's approval.
  const deposit = createFourEyesDeposit({ auth, adminBearer: () => bearer, run });

  const port = await freePort();
  const child = await startServiceProcess("payment", { port, env: { PAYMENT_RATE_LIMIT: "100000000" } });
  try {
    const payments = createClient(PaymentService, callerTransport(`http://127.0.0.1:${port}`, bearer));

    console.log(`setting up ${accountCount} funded accounts…`);
    const { customer } = await customers.createCustomer({
      firstName: "Bench",
      lastName: `Payments-${run}`,
      dateOfBirth: "1970-01-01",
      address: { line1: "1 Load Street", city: "Benchville", country: "US" },
    });
    await customers.verifyCustomerKyc({
      customerId: customer!.customerId,
      decision: KycStatus.VERIFIED,
      comment: "bench",
      documents: ["bench"],
    });
    const ids: bigint[] = [];
    for (let i = 0; i < accountCount; i++) {
      const { account } = await accounts.openAccount({
        customerId: customer!.customerId,
        accountType: AccountType.CHECKING,
        currency: "USD",
        branchId: 1,
      });
      await deposit(transactions, {
        accountId: account!.accountId,
        amount: "1000000.00",
        currency: "USD",
        idempotencyKey: `bench-fund-${run}-${i}`,
      });
      ids.push(account!.accountId);
    }
    const pick = (n: number) => ids[n % ids.length]!;
    console.log(`${callers} concurrent callers, ${seconds} s per phase, card payments of 1.00 to 9.00`);

    const transfers = await phase("ledger transfers", (n) =>
      transactions.transfer({
        fromAccountId: pick(n),
        toAccountId: pick(n + 1),
        amount: `${(n % 9) + 1}.00`,
        currency: "USD",
        idempotencyKey: `bench-t-${run}-${n}`,
      }),
    );
    const paid = await phase("card payments", (n) =>
      payments.createPayment({
        accountId: pick(n),
        externalReference: `bench-${run}-${n}`,
        paymentMethod: PaymentMethod.CARD,
        amount: `${(n % 9) + 1}.00`,
        currency: "USD",
        beneficiary: {
          name: "Bench Merchant",
          account: { case: "accountNumber", value: "tok-bench-0001" },
          bankCode: "",
          reference: "",
        },
      }),
    );
    console.log(`payments / ledger transfers: ${(paid / transfers).toFixed(2)} (same run, same stack)`);
  } finally {
    child.kill("SIGTERM");
  }
}

await main();
