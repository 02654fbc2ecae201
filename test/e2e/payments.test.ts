// Payments through Envoy, as an app calls them: the six REST routes of the Payment service, the
// money leaving the account, a sandbox decline, the rate limit as HTTP 429 with a retry hint,
// bad input as 400, and another customer's payment out of reach.
import { randomUUID } from "node:crypto";
import { jest } from "@jest/globals";
import { rest } from "../support/edge.js";
import { balanceOf, deposit, loginAdmin, onboard, type User as EdgeUser } from "../support/onboarding.js";
import { createDatabasePool, sql } from "../../services/runtime/database.js";
import { eventually } from "../support/eventually.js";
import { stackVar } from "../support/stack.js";

jest.setTimeout(120_000);

const run = randomUUID().slice(0, 8);
const today = new Date().toISOString().slice(0, 10);
const beneficiary = { name: "Acme Utilities", accountNumber: "000123456789", bankCode: "021000021" };

let admin: EdgeUser;
let ada: { user: EdgeUser; accountIds: string[] };
let eve: { user: EdgeUser; accountIds: string[] };

beforeAll(async () => {
  admin = await loginAdmin();
  ada = await onboard("pay_ada", run, admin, 1);
  eve = await onboard("pay_eve", run, admin, 1);
  await deposit(admin, ada.accountIds[0]!, "1000.00", `pay-fund-${run}`);
});

const pay = (user: EdgeUser, body: Record<string, unknown>) =>
  rest("POST", "/payments", { token: user.token, body: { currency: "USD", beneficiary, ...body } });

it("pays by card at once, and lists, reads and replays the payment", async () => {
  const accountId = ada.accountIds[0]!;
  const body = {
    accountId,
    externalReference: `INV-${run}-1`,
    paymentMethod: "PAYMENT_METHOD_CARD",
    amount: "120.00",
  };
  const created = await pay(ada.user, body);
  expect(created.status).toBe(200);
  expect(created.body.payment).toMatchObject({ status: "PAYMENT_STATUS_COMPLETED", amount: "120.00" });
  const paymentId = created.body.payment.paymentId;
  expect(await balanceOf(ada.user, accountId)).toBe("880.00");

  const replay = await pay(ada.user, body);
  expect(replay.body.payment.paymentId).toBe(paymentId);
  expect(await balanceOf(ada.user, accountId)).toBe("880.00");

  const read = await rest("GET", `/payments/${paymentId}`, { token: ada.user.token });
  expect(read.body.payment.attempts).toEqual([
    expect.objectContaining({ status: "PAYMENT_ATTEMPT_STATUS_SUCCESS", responseCode: "00" }),
  ]);
  const list = await rest("GET", `/accounts/${accountId}/payments?pageSize=10`, { token: ada.user.token });
  expect(list.body.payments.map((p: { paymentId: string }) => p.paymentId)).toContain(paymentId);

  const other = await rest("GET", `/payments/${paymentId}`, { token: eve.user.token });
  expect(other.status).toBe(403);

  // The payment reaches the warehouse through CDC (Debezium → Kafka → the Insights loader).
  const warehouse = await createDatabasePool(stackVar("INSIGHTS_DATABASE_URL"), { maximumPoolSize: 1 });
  try {
    // The insert arrives first (INITIATED), its completion right after.
    const fact = await eventually(
      "the completed payment in fact_payments",
      async () => {
        const row = await warehouse.maybeOne(sql.unsafe`
          SELECT status, amount FROM fact_payments WHERE payment_id = ${paymentId} AND account_id = ${accountId}
        `);
        return row?.status === "COMPLETED" ? row : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(fact).toEqual({ status: "COMPLETED", amount: "120.00" });
  } finally {
    await warehouse.end();
  }
});

it("records a decline of the sandbox (.13) as FAILED and gives the money back", async () => {
  const accountId = ada.accountIds[0]!;
  const before = await balanceOf(ada.user, accountId);
  const created = await pay(ada.user, {
    accountId,
    externalReference: `INV-${run}-2`,
    paymentMethod: "PAYMENT_METHOD_CARD",
    amount: "10.13",
  });
  expect(created.status).toBe(200);
  expect(created.body.payment.status).toBe("PAYMENT_STATUS_FAILED");
  await eventually("the money back", async () =>
    (await balanceOf(ada.user, accountId)) === before ? true : undefined,
  );
});

it("schedules, reads and cancels a monthly payment", async () => {
  const accountId = ada.accountIds[0]!;
  const scheduled = await rest("POST", "/payments/schedule", {
    token: ada.user.token,
    body: {
      accountId,
      amount: "75.00",
      currency: "USD",
      frequency: "PAYMENT_FREQUENCY_MONTHLY",
      nextRunDate: `${Number(today.slice(0, 4)) + 1}-01-31`,
      paymentMethod: "PAYMENT_METHOD_ACH",
      beneficiary,
      idempotencyKey: `rent-${run}`,
    },
  });
  expect(scheduled.status).toBe(200);
  const scheduleId = scheduled.body.scheduledPayment.scheduleId;
  const read = await rest("GET", `/payments/scheduled/${scheduleId}`, { token: ada.user.token });
  expect(read.body.scheduledPayment).toMatchObject({
    isActive: true,
    frequency: "PAYMENT_FREQUENCY_MONTHLY",
  });
  const cancelled = await rest("DELETE", `/payments/schedule/${scheduleId}`, { token: ada.user.token });
  expect(cancelled.status).toBe(200);
  expect(cancelled.body.scheduledPayment.isActive).toBe(false);
  expect((await rest("DELETE", `/payments/schedule/${scheduleId}`, { token: eve.user.token })).status).toBe(
    403,
  );
});

it("answers bad input with 400 and the rate limit with 429 and a retry hint", async () => {
  const accountId = ada.accountIds[0]!;
  for (const amount of ["-1.00", "1.005"]) {
    const bad = await pay(ada.user, {
      accountId,
      externalReference: `BAD-${run}`,
      paymentMethod: "PAYMENT_METHOD_CARD",
      amount,
    });
    expect(bad.status).toBe(400);
  }
  const past = await rest("POST", "/payments/schedule", {
    token: ada.user.token,
    body: {
      accountId,
      amount: "5.00",
      currency: "USD",
      frequency: "PAYMENT_FREQUENCY_DAILY",
      nextRunDate: "2020-01-01",
      paymentMethod: "PAYMENT_METHOD_CARD",
      beneficiary,
      idempotencyKey: `past-${run}`,
    },
  });
  expect(past.status).toBe(400);

  // The stack allows 20 payments per account and minute.
  const statuses: number[] = [];
  let limited: Awaited<ReturnType<typeof rest>> | undefined;
  for (let i = 0; i < 25 && !limited; i++) {
    const res = await pay(ada.user, {
      accountId,
      externalReference: `RL-${run}-${i}`,
      paymentMethod: "PAYMENT_METHOD_CARD",
      amount: "1.00",
    });
    statuses.push(res.status);
    if (res.status === 429) limited = res;
  }
  expect(limited?.status).toBe(429);
  expect(JSON.stringify(limited?.body)).toContain("RATE_LIMITED");
  expect(JSON.stringify(limited?.body)).toContain("google.rpc.RetryInfo");
  expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
});
