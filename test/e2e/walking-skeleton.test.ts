// The walking skeleton: one banking flow end to end through Envoy, the services, the outbox,
// Debezium, Kafka and the Insights warehouse, with real parts at every step.
import { randomUUID } from "node:crypto";
import { createClient } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-node";
import { Kafka, logLevel, type Consumer } from "kafkajs";
import { AccountService } from "../../gen/ts/fidalex/account/v1/account_service_pb.js";
import { TransactionService } from "../../gen/ts/fidalex/transaction/v1/transaction_service_pb.js";
import { TransactionStatus } from "../../gen/ts/fidalex/transaction/v1/transaction_pb.js";
import { Health } from "../../gen/ts/grpc/health/v1/health_pb.js";
import { HealthCheckResponse_ServingStatus } from "../../gen/ts/grpc/health/v1/health_pb.js";
import { ensureTopics } from "../../services/runtime/kafka-topics.js";
import { createLogger } from "../../services/runtime/logger.js";
import { money, type Money } from "../../services/runtime/money.js";
import { grpcUnary, rest } from "../support/edge.js";
import { balanceOf as balance, loginAdmin, onboard, type User } from "../support/onboarding.js";
import { eventually } from "../support/eventually.js";
import { stackVar } from "../support/stack.js";

import { jest } from "@jest/globals";

jest.setTimeout(180_000);

const run = randomUUID().slice(0, 8);
const today = new Date().toISOString().slice(0, 10);

const balanceOf = (token: string, accountId: string) => balance({ token }, accountId);

describe("walking skeleton through Envoy", () => {
  let admin: User;
  let ada: { user: User; accountIds: string[] };
  let eve: { user: User; accountIds: string[] };
  let consumer: Consumer;
  const completed: Array<{ transactionId: string; status: string }> = [];

  beforeAll(async () => {
    const kafka = new Kafka({
      clientId: `e2e-${run}`,
      brokers: stackVar("KAFKA_BROKERS").split(","),
      logLevel: logLevel.NOTHING,
    });
    await ensureTopics(
      stackVar("KAFKA_BROKERS").split(","),
      ["transaction.completed"],
      createLogger("e2e", "silent"),
    );
    consumer = kafka.consumer({ groupId: `e2e-${run}` });
    await consumer.connect();
    await consumer.subscribe({ topic: "transaction.completed", fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const value = JSON.parse(message.value!.toString("utf8"));
        completed.push({ transactionId: value.transactionId, status: value.status });
      },
    });
    admin = await loginAdmin();
    ada = await onboard("ada", run, admin, 2);
    eve = await onboard("eve", run, admin, 1);
  });

  afterAll(async () => {
    await consumer?.disconnect();
  });

  it("moves money by REST: deposit, transfer, balances, history, events and analytics", async () => {
    const [first, second] = ada.accountIds as [string, string];
    const summaryBefore = await dailyVolume(admin.token);

    const deposit = await rest("POST", "/transactions/deposit", {
      token: admin.token,
      body: { accountId: first, amount: "500.00", currency: "USD", idempotencyKey: `dep-${run}` },
    });
    expect(deposit.status).toBe(200);
    expect(deposit.body.transaction.status).toBe("TRANSACTION_STATUS_SUCCESS");

    const transfer = await rest("POST", "/transactions/transfer", {
      token: ada.user.token,
      body: {
        fromAccountId: first,
        toAccountId: second,
        amount: "125.50",
        currency: "USD",
        description: "savings",
        idempotencyKey: `xfer-${run}`,
      },
    });
    expect(transfer.status).toBe(200);
    expect(transfer.body.transaction).toMatchObject({
      status: "TRANSACTION_STATUS_SUCCESS",
      amount: "125.50",
      accountId: first,
      relatedAccountId: second,
    });
    const transferId: string = transfer.body.transaction.transactionId;

    // A replay with the same idempotency key returns the first transfer and moves nothing.
    const replay = await rest("POST", "/transactions/transfer", {
      token: ada.user.token,
      body: {
        fromAccountId: first,
        toAccountId: second,
        amount: "125.50",
        currency: "USD",
        description: "savings",
        idempotencyKey: `xfer-${run}`,
      },
    });
    expect(replay.status).toBe(200);
    expect(replay.body.transaction.transactionId).toBe(transferId);

    expect(await balanceOf(ada.user.token, first)).toBe("374.50");
    expect(await balanceOf(ada.user.token, second)).toBe("125.50");

    const history = await rest("GET", `/accounts/${first}/transactions`, { token: ada.user.token });
    expect(history.status).toBe(200);
    expect(history.body.transactions.map((t: { transactionId: string }) => t.transactionId)).toEqual(
      expect.arrayContaining([transferId, deposit.body.transaction.transactionId]),
    );

    // Debezium publishes transaction.completed from the outbox, exactly once per transaction.
    await eventually(
      "transaction.completed for the transfer",
      async () => (completed.some((e) => e.transactionId === transferId) ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(completed.filter((e) => e.transactionId === transferId)).toEqual([
      { transactionId: transferId, status: "TRANSACTION_STATUS_SUCCESS" },
    ]);

    // CDC reaches the warehouse; the daily summary of branch 1 grows by both movements.
    const after = await eventually(
      "the daily summary to reflect the transfer",
      async () => {
        const volume = await dailyVolume(admin.token);
        return volume.gte(summaryBefore.plus("625.50")) ? volume : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 2_000 },
    );
    expect(after.minus(summaryBefore).gte("625.50")).toBe(true);
  });

  it("moves money over gRPC (grpc-js) and gRPC-Web through the same edge", async () => {
    const [first, second] = ada.accountIds as [string, string];
    const before = money(await balanceOf(ada.user.token, second));
    const viaGrpc = await grpcUnary(
      TransactionService.method.transfer,
      {
        fromAccountId: BigInt(first),
        toAccountId: BigInt(second),
        amount: "1.25",
        currency: "USD",
        idempotencyKey: `grpc-${run}`,
      },
      ada.user.token,
    );
    expect(viaGrpc.transaction?.status).toBe(TransactionStatus.SUCCESS);
    const balance = await grpcUnary(
      AccountService.method.getAccountBalance,
      { accountId: BigInt(second) },
      ada.user.token,
    );
    expect(balance.accountBalance?.balance).toBe(before.plus("1.25").toFixed(2));

    const web = createGrpcWebTransport({
      baseUrl: stackVar("ENVOY_URL"),
      httpVersion: "1.1",
      interceptors: [
        (next) => (req) => (req.header.set("authorization", `Bearer ${ada.user.token}`), next(req)),
      ],
    });
    const viaWeb = await createClient(TransactionService, web).transfer({
      fromAccountId: BigInt(first),
      toAccountId: BigInt(second),
      amount: "2.00",
      currency: "USD",
      idempotencyKey: `web-${run}`,
    });
    expect(viaWeb.transaction?.status).toBe(TransactionStatus.SUCCESS);
    const webBalance = await createClient(AccountService, web).getAccountBalance({
      accountId: BigInt(second),
    });
    expect(webBalance.accountBalance?.balance).toBe(before.plus("3.25").toFixed(2));
  });

  it("refuses what a user must not do, with clear statuses, and writes nothing", async () => {
    const [first, second] = ada.accountIds as [string, string];
    const [eveAccount] = eve.accountIds as [string];
    const before = [await balanceOf(ada.user.token, first), await balanceOf(ada.user.token, second)];
    const transfer = (body: Record<string, unknown>, token?: string) =>
      rest("POST", "/transactions/transfer", {
        token,
        body: {
          fromAccountId: first,
          toAccountId: second,
          currency: "USD",
          amount: "1.00",
          idempotencyKey: `e-${randomUUID()}`,
          ...body,
        },
      });

    // No token, or a forged one: Envoy answers 401 before any service sees the call.
    expect((await transfer({})).status).toBe(401);
    expect((await transfer({}, ada.user.token.slice(0, -4) + "AAAA")).status).toBe(401);
    expect((await rest("GET", `/accounts/${first}/balance`)).status).toBe(401);

    // Another customer's account.
    const foreign = await rest("GET", `/accounts/${eveAccount}/balance`, { token: ada.user.token });
    expect([403, 404]).toContain(foreign.status);
    const stealing = await transfer({ fromAccountId: eveAccount, toAccountId: first }, ada.user.token);
    expect([403, 404]).toContain(stealing.status);

    // Beyond balance plus overdraft: FAILED_PRECONDITION with a reason to branch on.
    const tooMuch = await transfer({ amount: "1000000.00" }, ada.user.token);
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.code).toBe(9);
    expect(JSON.stringify(tooMuch.body.details)).toContain("INSUFFICIENT_FUNDS");

    // Malformed input: 400 with a JSON status, no stack trace or SQL.
    const negative = await transfer({ amount: "-5.00" }, ada.user.token);
    expect(negative.status).toBe(400);
    expect(negative.body.code).toBe(3);
    const malformedId = await rest("GET", "/accounts/not-a-number/balance", { token: ada.user.token });
    expect(malformedId.status).toBe(400);
    for (const res of [tooMuch, negative, malformedId]) {
      expect(res.text).not.toMatch(/\bat .+\.(ts|js):\d+|SELECT|INSERT|UPDATE .* SET/);
    }

    expect([await balanceOf(ada.user.token, first), await balanceOf(ada.user.token, second)]).toEqual(before);
  });

  it("answers health checks through Envoy, and Envoy health-checks every running upstream", async () => {
    const health = await grpcUnary(Health.method.check, { service: "" });
    expect(health.status).toBe(HealthCheckResponse_ServingStatus.SERVING);
    const clusters = (await (await fetch(`${stackVar("ENVOY_ADMIN_URL")}/clusters?format=json`)).json()) as {
      cluster_statuses: Array<{
        name: string;
        host_statuses?: Array<{ health_status?: { eds_health_status?: string } }>;
      }>;
    };
    const healthOf = (name: string) =>
      clusters.cluster_statuses.find((c: { name: string }) => c.name === name)?.host_statuses?.[0]
        ?.health_status?.eds_health_status;
    for (const name of ["auth", "account", "transaction", "insights"]) {
      expect([name, healthOf(name)]).toEqual([name, "HEALTHY"]);
    }
  });
});

/** Total transaction volume of branch 1 in USD today, as the Insights service reports it. */
async function dailyVolume(token: string): Promise<Money> {
  const res = await rest("GET", `/analytics/daily-summary?date=${today}`, { token });
  expect(res.status).toBe(200);
  const rows: Array<{ branchId: number; currency: string; totalVolume: string }> =
    res.body.dailyBranchSummaries ?? [];
  return rows
    .filter((r) => r.branchId === 1 && r.currency === "USD")
    .reduce((sum, r) => sum.plus(r.totalVolume), money("0"));
}
