// Throughput of the Account service's PostingService.ApplyPostings: 32 concurrent callers sending
// two-posting transfers, first spread uniformly over many accounts, then all through one hot
// account (every transfer queues on that account's row lock). Each phase runs for a fixed time.
//
//   npm run bench:account                      (BENCH_SECONDS=15 per phase, BENCH_CALLERS=32)
//
// The Account service runs in this process on a free port against the local stack's account
// database (bash stack/stack.sh up), as its tests run it (test/support/service-harness.ts),
// verifying tokens signed with a key made for the run. Figures are printed, never asserted.
import { randomInt } from "node:crypto";
import type { Client } from "@connectrpc/connect";
import { AccountType } from "../gen/ts/fidalex/account/v1/account_pb.js";
import { AccountService } from "../gen/ts/fidalex/account/v1/account_service_pb.js";
import { KycStatus } from "../gen/ts/fidalex/account/v1/customer_pb.js";
import { CustomerService } from "../gen/ts/fidalex/account/v1/customer_service_pb.js";
import { PostingDirection, PostingKind } from "../gen/ts/fidalex/account/v1/posting_pb.js";
import { PostingService } from "../gen/ts/fidalex/account/v1/posting_service_pb.js";
import { accountService } from "../services/account/main.js";
import type { RoleName } from "../services/runtime/auth.js";
import { callerTransport, clientsOf, startTestService } from "../test/support/service-harness.js";
import { ensureStackUp, stackVar } from "../test/support/stack.js";
import { createTestSigner } from "../test/support/test-tokens.js";

const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const callers = Number(process.env.BENCH_CALLERS ?? 32);
const uniformAccounts = Number(process.env.BENCH_ACCOUNTS ?? 200);

interface Clients {
  customers: Client<typeof CustomerService>;
  accounts: Client<typeof AccountService>;
  postings: Client<typeof PostingService>;
}

function clientsFor(baseUrl: string, bearer: string): Clients {
  return clientsOf(callerTransport(baseUrl, bearer), {
    customers: CustomerService,
    accounts: AccountService,
    postings: PostingService,
  });
}

/** Transaction ids of this run: the start time in ms, times a million, plus a counter. */
let transactionSeq = BigInt(Date.now()) * 1_000_000n;
const nextTransactionId = () => ++transactionSeq;

function transferRequest(from: bigint, to: bigint, amount: string, kind = PostingKind.TRANSFER) {
  return {
    transactionId: nextTransactionId(),
    kind,
    changedBy: "account-bench",
    postings: [
      { accountId: from, direction: PostingDirection.DEBIT, amount, currency: "USD" },
      { accountId: to, direction: PostingDirection.CREDIT, amount, currency: "USD" },
    ],
  };
}

/** Runs `callers` loops of transfers for the given time and reports what they achieved. */
async function phase(name: string, service: Clients, pick: () => [bigint, bigint]) {
  const latencies: number[] = [];
  let refused = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (performance.now() < deadline) {
        const [from, to] = pick();
        const t0 = performance.now();
        try {
          await service.postings.applyPostings(transferRequest(from, to, `${randomInt(1, 20)}.00`));
          latencies.push(performance.now() - t0);
        } catch {
          refused++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  const transfers = latencies.length / elapsed;
  console.log(
    `${name.padEnd(22)} ${(transfers * 2).toFixed(0).padStart(6)} postings/s ` +
      `(${transfers.toFixed(0)} transfers/s, ${latencies.length} applied, ${refused} refused in ${elapsed.toFixed(1)} s; ` +
      `latency p50 ${at(0.5).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms)`,
  );
}

async function main() {
  ensureStackUp();
  const signer = await createTestSigner();
  const server = await startTestService(accountService, {
    env: {
      DATABASE_URL: stackVar("ACCOUNT_DATABASE_URL"),
      DATABASE_POOL_SIZE: process.env.BENCH_POOL_SIZE ?? "16",
      SERVICE_CLIENT_ID: "account",
      SERVICE_CLIENT_SECRET: "account-bench-client-secret",
    },
    signer,
    overrides: { customerLinks: { linkCustomer: async () => {} } },
  });
  const sign = (sub: string, roles: RoleName[]) => signer.bearer({ sub, roles }, { expiresIn: "1h" });
  const teller = clientsFor(server.url, await sign("990001", ["TELLER"]));
  const service = clientsFor(server.url, await sign("svc:account-bench", ["SERVICE"]));

  try {
    const settlement = (await teller.accounts.listCustomerAccounts({ customerId: 1n })).accounts.find(
      (a) => a.currency === "USD",
    )!.accountId;
    const { customer } = await teller.customers.createCustomer({
      firstName: "Bench",
      lastName: `Mark-${Date.now()}`,
      dateOfBirth: "1970-01-01",
      address: { line1: "1 Load Street", city: "Benchville", country: "US" },
    });
    const customerId = customer!.customerId;
    await teller.customers.verifyCustomerKyc({
      customerId,
      decision: KycStatus.VERIFIED,
      comment: "bench",
      documents: ["bench"],
    });
    const open = async (balance: string) => {
      const { account } = await teller.accounts.openAccount({
        customerId,
        accountType: AccountType.CHECKING,
        currency: "USD",
        branchId: 1,
      });
      await service.postings.applyPostings(
        transferRequest(settlement, account!.accountId, balance, PostingKind.DEPOSIT),
      );
      return account!.accountId;
    };

    console.log(`setting up ${uniformAccounts} accounts…`);
    const accounts: bigint[] = [];
    for (let i = 0; i < uniformAccounts; i += 16) {
      accounts.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(16, uniformAccounts - i) }, () => open("100000.00")),
        )),
      );
    }
    const hot = await open("1000000000.00");
    const any = () => accounts[randomInt(accounts.length)]!;
    console.log(`${callers} concurrent callers, ${seconds} s per phase, two postings per transfer`);

    await phase(`uniform (${accounts.length} accounts)`, service, () => {
      const from = any();
      let to = any();
      while (to === from) to = any();
      return [from, to];
    });
    await phase("one hot account", service, () => [hot, any()]);
  } finally {
    await server.close();
  }
}

await main();
