// Redis is an optimization: the spec's pending flags are set and cleared when Redis is up, no
// account lock is left behind, and every RPC still works, without long stalls, when it is down.
import { Redis } from "ioredis";
import { TransactionStatus } from "../../../gen/ts/fidalex/transaction/v1/transaction_pb.js";
import { stackVar } from "../../../test/support/stack.js";
import { startHarness, type Harness } from "../../../test/support/core-banking.js";

describe("with Redis up", () => {
  let h: Harness;
  let redis: Redis;

  beforeAll(async () => {
    h = await startHarness({ settleDelaySeconds: 1 });
    redis = new Redis(stackVar("REDIS_URL"));
  });

  afterAll(async () => {
    redis?.disconnect();
    await h?.close();
  });

  it("flags a PENDING transaction until it settles and leaves no account lock behind", async () => {
    const from = await h.newAccount(await h.newCustomer("redis-from"));
    const to = await h.newAccount(await h.newCustomer("redis-to"));
    await h.fund(from, "50.00");
    const teller = await h.teller();
    const request = {
      fromAccountId: from,
      toAccountId: to,
      amount: "5.00",
      currency: "USD",
      description: "",
      idempotencyKey: h.key(),
    };
    await teller.transactions.transfer({ ...request, idempotencyKey: h.key() });
    expect(await redis.exists(`lock:acct:${from}`)).toBe(0);

    await h.stopAccount();
    let pendingId: bigint;
    try {
      const { transaction } = await teller.transactions.transfer(request);
      expect(transaction!.status).toBe(TransactionStatus.PENDING);
      pendingId = transaction!.transactionId;
      expect(await redis.exists(`txn:pending:${pendingId}`)).toBe(1);
    } finally {
      await h.startAccount();
    }
    // A replay after the settle delay finishes it (the recovery worker is tested elsewhere).
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const { transaction } = await teller.transactions.transfer(request);
    expect(transaction!.status).toBe(TransactionStatus.SUCCESS);
    expect(await redis.exists(`txn:pending:${pendingId}`)).toBe(0);
    expect(await h.balance(to)).toBe("10.00");
  });
});

describe("with Redis down", () => {
  let h: Harness;

  beforeAll(async () => {
    // Nothing listens on port 1: every Redis command fails at once.
    h = await startHarness({ redisUrl: "redis://127.0.0.1:1" });
  });

  afterAll(async () => {
    await h?.close();
  });

  it("transfers, deposits, withdraws and reverses as usual", async () => {
    const from = await h.newAccount(await h.newCustomer("noredis-from"));
    const to = await h.newAccount(await h.newCustomer("noredis-to"));
    const teller = await h.teller();
    const started = Date.now();
    await h.fund(from, "100.00");
    const { transaction } = await teller.transactions.transfer({
      fromAccountId: from,
      toAccountId: to,
      amount: "40.00",
      currency: "USD",
      description: "",
      idempotencyKey: h.key(),
    });
    expect(transaction!.status).toBe(TransactionStatus.SUCCESS);
    await teller.transactions.withdraw({
      accountId: from,
      amount: "10.00",
      currency: "USD",
      idempotencyKey: h.key(),
    });
    const { reversal } = await teller.transactions.reverseTransaction({
      transactionId: transaction!.transactionId,
      reason: "test without redis",
      idempotencyKey: h.key(),
    });
    expect(reversal!.status).toBe(TransactionStatus.SUCCESS);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await h.balance(from)).toBe("90.00");
    expect(await h.balance(to)).toBe("0.00");
  });
});
