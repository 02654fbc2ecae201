// One-off payments as a customer makes them: every outcome of the sandbox processor, the money
// moving only through the ledger (debited at acceptance, returned on failure or return), the
// events, idempotency by reference, the rate limit, authorization and bad input.
import { Code, type Client } from "@connectrpc/connect";
import { PaymentService } from "../../../gen/ts/fidalex/payment/v1/payment_service_pb.js";
import {
  PaymentAttemptStatus,
  PaymentMethod,
  PaymentStatus,
} from "../../../gen/ts/fidalex/payment/v1/payment_pb.js";
import { RetryInfoSchema } from "../../../gen/ts/google/rpc/error_details_pb.js";
import { sql } from "../../runtime/database.js";
import { eventually } from "../../../test/support/eventually.js";
import { callerTransport, clientsOf } from "../../../test/support/service-harness.js";
import {
  errorMetadata,
  expectRefusal,
  paymentRequest,
  startPayment,
  startPaymentHarness,
  type PaymentHarness,
} from "./harness.js";

let h: PaymentHarness;

beforeAll(async () => {
  h = await startPaymentHarness();
});

afterAll(async () => {
  await h?.close();
});

const run = `${Date.now().toString(36)}`;
let seq = 0;
const ref = (tag: string) => `${tag}-${run}-${++seq}`;

/** Waits until the payment reaches the status, as a client polling GetPayment would. */
async function settled(
  clients: { payments: Client<typeof PaymentService> },
  paymentId: bigint,
  status: PaymentStatus,
) {
  return eventually(
    `payment ${paymentId} ${PaymentStatus[status]}`,
    async () => {
      const { payment } = await clients.payments.getPayment({ paymentId });
      return payment!.status === status ? payment! : undefined;
    },
    { timeoutMs: 20_000, intervalMs: 100 },
  );
}

describe("a card payment", () => {
  it("completes at once, debits the account once and publishes payment.processed", async () => {
    const { customerId, accountId } = await h.fundedAccount("card", "100.00");
    const me = await h.customer(customerId);
    const { payment } = await me.payments.createPayment(
      paymentRequest(accountId, ref("card"), { amount: "25.00" }),
    );
    expect(payment).toMatchObject({ status: PaymentStatus.COMPLETED, amount: "25.00", currency: "USD" });
    expect(payment!.completedAt).toBeDefined();
    expect(await h.core.balance(accountId)).toBe("75.00");

    const { payment: read } = await me.payments.getPayment({ paymentId: payment!.paymentId });
    expect(read!.attempts.map((a) => [a.status, a.responseCode])).toEqual([
      [PaymentAttemptStatus.SUCCESS, "00"],
    ]);
    expect(read!.beneficiary?.name).toBe("Acme Utilities");
    expect((await h.processedEvents(payment!.paymentId)).map((e) => e.status)).toEqual([
      "PAYMENT_STATUS_COMPLETED",
    ]);

    const { payments } = await me.payments.listAccountPayments({ accountId });
    expect(payments.map((p) => p.paymentId)).toEqual([payment!.paymentId]);
  });
});

describe("a wire payment", () => {
  it("is PENDING until the network settles it, then COMPLETED, with one event", async () => {
    const { customerId, accountId } = await h.fundedAccount("wire", "500.00");
    const me = await h.customer(customerId);
    const { payment } = await me.payments.createPayment(
      paymentRequest(accountId, ref("wire"), {
        amount: "200.00",
        method: PaymentMethod.WIRE,
      }),
    );
    expect(payment!.status).toBe(PaymentStatus.PENDING);
    expect(await h.core.balance(accountId)).toBe("300.00");
    const done = await settled(me, payment!.paymentId, PaymentStatus.COMPLETED);
    expect(done.attempts.map((a) => a.status)).toEqual([
      PaymentAttemptStatus.PROCESSING,
      PaymentAttemptStatus.SUCCESS,
    ]);
    expect((await h.processedEvents(payment!.paymentId)).map((e) => e.status)).toEqual([
      "PAYMENT_STATUS_COMPLETED",
    ]);
    expect(await h.core.balance(accountId)).toBe("300.00");
  });
});

describe("failures", () => {
  it("declines an amount ending in .13 with the processor's code and returns the money", async () => {
    const { customerId, accountId } = await h.fundedAccount("decline", "100.00");
    const me = await h.customer(customerId);
    const { payment } = await me.payments.createPayment(
      paymentRequest(accountId, ref("decline"), { amount: "10.13" }),
    );
    expect(payment!.status).toBe(PaymentStatus.FAILED);
    expect(payment!.metadata).toMatchObject({ failureReason: "PROCESSOR_DECLINED" });
    await eventually("the money back", async () =>
      (await h.core.balance(accountId)) === "100.00" ? true : undefined,
    );
    const { payment: read } = await me.payments.getPayment({ paymentId: payment!.paymentId });
    expect(read!.attempts.map((a) => [a.status, a.responseCode])).toEqual([
      [PaymentAttemptStatus.FAILED, "05"],
    ]);
    expect((await h.processedEvents(payment!.paymentId)).map((e) => e.status)).toEqual([
      "PAYMENT_STATUS_FAILED",
    ]);
  });

  it("retries a processor that does not answer with backoff, then fails with TIMEOUT and returns the money", async () => {
    const { customerId, accountId } = await h.fundedAccount("timeout", "100.00");
    const me = await h.customer(customerId);
    const { payment } = await me.payments.createPayment(
      paymentRequest(accountId, `TIMEOUT-${ref("t")}`, { amount: "40.00" }),
    );
    expect(payment!.status).toBe(PaymentStatus.INITIATED);
    expect(await h.core.balance(accountId)).toBe("60.00");
    const failed = await settled(me, payment!.paymentId, PaymentStatus.FAILED);
    expect(failed.metadata).toMatchObject({ failureReason: "PROCESSOR_TIMEOUT" });
    expect(failed.attempts.map((a) => [a.status, a.responseCode])).toEqual([
      [PaymentAttemptStatus.FAILED, "TIMEOUT"],
      [PaymentAttemptStatus.FAILED, "TIMEOUT"],
      [PaymentAttemptStatus.FAILED, "TIMEOUT"],
    ]);
    // The attempts were spaced by the backoff (200 ms, then 400 ms at least).
    const times = failed.attempts.map((a) => Number(a.attemptTs!.seconds) * 1000 + a.attemptTs!.nanos / 1e6);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(150);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(350);
    await eventually("the money back", async () =>
      (await h.core.balance(accountId)) === "100.00" ? true : undefined,
    );
    expect((await h.processedEvents(payment!.paymentId)).map((e) => e.status)).toEqual([
      "PAYMENT_STATUS_FAILED",
    ]);
  });

  it("completes a payment whose first submission timed out, on the retry", async () => {
    const { customerId, accountId } = await h.fundedAccount("flaky", "100.00");
    const me = await h.customer(customerId);
    const { payment } = await me.payments.createPayment(
      paymentRequest(accountId, `FLAKY-${ref("f")}`, { amount: "30.00" }),
    );
    const done = await settled(me, payment!.paymentId, PaymentStatus.COMPLETED);
    expect(done.attempts.map((a) => [a.status, a.responseCode])).toEqual([
      [PaymentAttemptStatus.FAILED, "TIMEOUT"],
      [PaymentAttemptStatus.SUCCESS, "00"],
    ]);
    expect(await h.core.balance(accountId)).toBe("70.00");
  });

  it("reverses an ACH payment the beneficiary's bank returns, crediting the money back", async () => {
    const { customerId, accountId } = await h.fundedAccount("ach-return", "100.00");
    const me = await h.customer(customerId);
    const { payment } = await me.payments.createPayment(
      paymentRequest(accountId, ref("ach"), {
        amount: "45.00",
        method: PaymentMethod.ACH,
        beneficiaryReference: "RETURN-1",
      }),
    );
    expect(payment!.status).toBe(PaymentStatus.PENDING);
    await settled(me, payment!.paymentId, PaymentStatus.COMPLETED);
    expect(await h.core.balance(accountId)).toBe("55.00");
    const reversed = await settled(me, payment!.paymentId, PaymentStatus.REVERSED);
    expect(reversed.attempts.at(-1)!.responseCode).toBe("R01");
    await eventually("the money back", async () =>
      (await h.core.balance(accountId)) === "100.00" ? true : undefined,
    );
    await eventually("two events", async () => {
      const events = (await h.processedEvents(payment!.paymentId)).map((e) => e.status);
      return events.length === 2 ? events : undefined;
    }).then((events) => expect(events).toEqual(["PAYMENT_STATUS_COMPLETED", "PAYMENT_STATUS_REVERSED"]));
  });

  it("refuses a payment the balance cannot cover, records it FAILED and answers the same on a replay", async () => {
    const { customerId, accountId } = await h.fundedAccount("poor", "10.00");
    const me = await h.customer(customerId);
    const request = paymentRequest(accountId, ref("poor"), { amount: "50.00" });
    const error = await expectRefusal(
      me.payments.createPayment(request),
      Code.FailedPrecondition,
      "INSUFFICIENT_FUNDS",
    );
    const paymentId = BigInt(errorMetadata(error).payment_id!);
    const { payment } = await me.payments.getPayment({ paymentId });
    expect(payment!.status).toBe(PaymentStatus.FAILED);
    await expectRefusal(me.payments.createPayment(request), Code.FailedPrecondition, "INSUFFICIENT_FUNDS");
    expect(await h.core.balance(accountId)).toBe("10.00");
    expect((await h.processedEvents(paymentId)).map((e) => e.status)).toEqual(["PAYMENT_STATUS_FAILED"]);
  });
});

describe("idempotency by external_reference", () => {
  it("answers a replay with the first payment and refuses the reference with another amount", async () => {
    const { customerId, accountId } = await h.fundedAccount("replay", "100.00");
    const me = await h.customer(customerId);
    const request = paymentRequest(accountId, ref("replay"), { amount: "20.00" });
    const first = await me.payments.createPayment(request);
    const again = await me.payments.createPayment(request);
    expect(again.payment!.paymentId).toBe(first.payment!.paymentId);
    expect(await h.core.balance(accountId)).toBe("80.00");
    await expectRefusal(
      me.payments.createPayment({ ...request, amount: "21.00" }),
      Code.AlreadyExists,
      "IDEMPOTENCY_KEY_REUSED",
    );
    expect(
      await h.service.deps.redis.get(`payment:idempotency:${accountId}:${request.externalReference}`),
    ).toBe(String(first.payment!.paymentId));
  });

  it("makes one payment and one debit of 20 identical requests racing", async () => {
    const { customerId, accountId } = await h.fundedAccount("race", "100.00");
    const me = await h.customer(customerId);
    const request = paymentRequest(accountId, ref("race"), { amount: "7.00" });
    const answers = await Promise.all(Array.from({ length: 20 }, () => me.payments.createPayment(request)));
    expect(new Set(answers.map((a) => a.payment!.paymentId)).size).toBe(1);
    const rows = await h.service.deps.db.anyFirst(sql.unsafe`
      SELECT payment_id FROM payments WHERE account_id = ${accountId}
    `);
    expect(rows).toHaveLength(1);
    await eventually("the payment final", async () =>
      (await h.core.balance(accountId)) === "93.00" ? true : undefined,
    );
    const debits = await h.core.db.anyFirst(sql.unsafe`
      SELECT transaction_id FROM transactions WHERE account_id = ${accountId} AND transaction_type = 'TRANSFER'
    `);
    expect(debits).toHaveLength(1);
  });
});

describe("the rate limit", () => {
  it("answers RESOURCE_EXHAUSTED with a retry hint past the account's limit", async () => {
    const limited = await startPayment(h.core, h.sandbox.url, h.clock, {
      PAYMENT_RATE_LIMIT: "3",
      PAYMENT_RATE_WINDOW_MS: "60000",
    });
    try {
      const { customerId, accountId } = await h.fundedAccount("limit", "100.00");
      const bearer = await h.core.signer.bearer({ sub: "7100000001", roles: ["CUSTOMER"], cid: customerId });
      const { payments } = clientsOf(callerTransport(limited.url, bearer), { payments: PaymentService });
      for (let i = 0; i < 3; i++)
        await payments.createPayment(paymentRequest(accountId, ref("limit"), { amount: "1.00" }));
      const error = await expectRefusal(
        payments.createPayment(paymentRequest(accountId, ref("limit"), { amount: "1.00" })),
        Code.ResourceExhausted,
        "RATE_LIMITED",
      );
      const retry = error.findDetails(RetryInfoSchema)[0];
      expect(Number(retry?.retryDelay?.seconds ?? 0)).toBeGreaterThan(0);
      expect(await h.core.balance(accountId)).toBe("97.00");
    } finally {
      await limited.close();
    }
  });
});

describe("authorization and bad input", () => {
  it("keeps customers to their own accounts and payments, without leaking what exists", async () => {
    const mine = await h.fundedAccount("mine", "50.00");
    const theirs = await h.fundedAccount("theirs", "50.00");
    const me = await h.customer(mine.customerId);
    const them = await h.customer(theirs.customerId);
    await expectRefusal(
      me.payments.createPayment(paymentRequest(theirs.accountId, ref("steal"))),
      Code.PermissionDenied,
    );
    const { payment } = await them.payments.createPayment(
      paymentRequest(theirs.accountId, ref("theirs"), { amount: "1.00" }),
    );
    await expectRefusal(me.payments.getPayment({ paymentId: payment!.paymentId }), Code.PermissionDenied);
    await expectRefusal(me.payments.getPayment({ paymentId: 999_999_999_999n }), Code.PermissionDenied);
    await expectRefusal(
      me.payments.listAccountPayments({ accountId: theirs.accountId }),
      Code.PermissionDenied,
    );
    const teller = await h.payments({ sub: "7200000001", roles: ["TELLER"] });
    await expectRefusal(
      teller.getPayment({ paymentId: 999_999_999_999n }),
      Code.NotFound,
      "PAYMENT_NOT_FOUND",
    );
    expect((await teller.getPayment({ paymentId: payment!.paymentId })).payment!.accountId).toBe(
      theirs.accountId,
    );
    expect(await h.core.balance(theirs.accountId)).toBe("49.00");
  });

  it("refuses negative, over-precise and zero amounts, an unknown method and an incomplete beneficiary", async () => {
    const { customerId, accountId } = await h.fundedAccount("bad", "50.00");
    const me = await h.customer(customerId);
    for (const amount of ["-5.00", "1.005", "0.00", "abc"]) {
      await expectRefusal(
        me.payments.createPayment(paymentRequest(accountId, ref("bad"), { amount })),
        Code.InvalidArgument,
      );
    }
    await expectRefusal(
      me.payments.createPayment(paymentRequest(accountId, ref("bad"), { method: PaymentMethod.UNSPECIFIED })),
      Code.InvalidArgument,
    );
    const ach = paymentRequest(accountId, ref("bad"), { method: PaymentMethod.ACH });
    await expectRefusal(
      me.payments.createPayment({ ...ach, beneficiary: { ...ach.beneficiary, bankCode: "" } }),
      Code.InvalidArgument,
    );
    expect(await h.core.balance(accountId)).toBe("50.00");
    const { payments } = await me.payments.listAccountPayments({ accountId });
    expect(payments).toEqual([]);
  });
});
