// Scheduled payments as a customer sets them up and as the scheduler pays them: each period paid
// exactly once across concurrent schedulers and a restart, missed periods caught up in order, a
// period without funds recorded without stopping the next, cancellation, authorization and bad
// input.
import { Code } from "@connectrpc/connect";
import {
  PaymentFrequency,
  type ScheduledPayment,
} from "../../../gen/ts/fidalex/payment/v1/scheduled_payment_pb.js";
import { PaymentMethod, PaymentStatus } from "../../../gen/ts/fidalex/payment/v1/payment_pb.js";
import { addDays } from "../../runtime/calendar.js";
import { sql } from "../../runtime/database.js";
import { z } from "zod";
import { createScheduler } from "../schedules/scheduler.js";
import {
  expectRefusal,
  startPayment,
  startPaymentHarness,
  usBeneficiary,
  type PaymentHarness,
} from "./harness.js";

let h: PaymentHarness;
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  h = await startPaymentHarness();
});

afterAll(async () => {
  await h?.close();
});

let seq = 0;
const key = () => `sched-${Date.now().toString(36)}-${++seq}`;

function scheduleRequest(
  accountId: bigint,
  options: Partial<{
    amount: string;
    frequency: PaymentFrequency;
    nextRunDate: string;
    endDate: string;
  }> = {},
) {
  return {
    scheduleId: 0n,
    accountId,
    amount: options.amount ?? "10.00",
    currency: "USD",
    frequency: options.frequency ?? PaymentFrequency.DAILY,
    nextRunDate: options.nextRunDate ?? today,
    endDate: options.endDate ?? "",
    paymentMethod: PaymentMethod.CARD,
    beneficiary: usBeneficiary,
    idempotencyKey: key(),
  };
}

/** The runs a schedule has made: run date and its payment's status. */
async function runsOf(schedule: ScheduledPayment) {
  return h.service.deps.db.any(sql.type(z.object({ run_date: z.string(), status: z.string().nullable() }))`
    SELECT r.run_date, p.status FROM scheduled_payment_runs r
      LEFT JOIN payments p ON p.payment_id = r.payment_id
     WHERE r.schedule_id = ${schedule.scheduleId}
     ORDER BY r.run_date
  `);
}

describe("the scheduler", () => {
  afterEach(() => h.clock.set(today));

  it("pays each period exactly once across two concurrent schedulers and a restart, catching up in order", async () => {
    const { customerId, accountId } = await h.fundedAccount("daily", "100.00");
    const me = await h.customer(customerId);
    const { scheduledPayment: schedule } = await me.payments.schedulePayment(scheduleRequest(accountId));
    h.clock.set(addDays(today, 3));
    const [a, b] = [h.scheduler(), h.scheduler()];
    const made = await Promise.all([a.runOnce(), b.runOnce()]);
    // The stack's own Payment service shares this database and may have paid today's run already.
    expect(made[0]! + made[1]!).toBeGreaterThanOrEqual(3);

    // A scheduler of a restarted service finds nothing due.
    const restarted = await startPayment(h.core, h.sandbox.url, h.clock);
    try {
      const again = await createScheduler({
        ...restarted.deps,
        clock: h.clock,
        intervalMs: 3_600_000,
      }).runOnce();
      expect(again).toBe(0);
    } finally {
      await restarted.close();
    }
    expect(await runsOf(schedule!)).toEqual(
      [0, 1, 2, 3].map((n) => ({ run_date: addDays(today, n), status: "COMPLETED" })),
    );
    expect(await h.core.balance(accountId)).toBe("60.00");
    const { scheduledPayment } = await me.payments.getScheduledPayment({ scheduleId: schedule!.scheduleId });
    expect(scheduledPayment!.nextRunDate).toBe(addDays(today, 4));

    // Each run is an ordinary payment with the schedule's reference.
    const { payments } = await me.payments.listAccountPayments({ accountId });
    expect(payments.map((p) => p.externalReference).sort()).toEqual(
      [0, 1, 2, 3]
        .map((n) => `schedule-${schedule!.scheduleId}-${addDays(today, n).replaceAll("-", "")}`)
        .sort(),
    );
  });

  it("records a period the balance cannot cover as FAILED and pays the next", async () => {
    const { customerId, accountId } = await h.fundedAccount("short", "15.00");
    const me = await h.customer(customerId);
    const { scheduledPayment: schedule } = await me.payments.schedulePayment(
      scheduleRequest(accountId, { amount: "10.00" }),
    );
    await h.scheduler().runOnce();
    expect(await h.core.balance(accountId)).toBe("5.00");
    h.clock.set(addDays(today, 1));
    await h.scheduler().runOnce();
    await h.core.fund(accountId, "20.00");
    h.clock.set(addDays(today, 2));
    await h.scheduler().runOnce();
    expect(await runsOf(schedule!)).toEqual([
      { run_date: today, status: "COMPLETED" },
      { run_date: addDays(today, 1), status: "FAILED" },
      { run_date: addDays(today, 2), status: "COMPLETED" },
    ]);
    expect(await h.core.balance(accountId)).toBe("15.00");
  });

  it("never runs a cancelled schedule again, and keeps who cancelled it", async () => {
    const { customerId, accountId } = await h.fundedAccount("cancel", "100.00");
    const me = await h.customer(customerId);
    // Tomorrow: the stack's own scheduler, on today's date, leaves it alone.
    const { scheduledPayment: schedule } = await me.payments.schedulePayment(
      scheduleRequest(accountId, { nextRunDate: addDays(today, 1) }),
    );
    const { scheduledPayment: cancelled } = await me.payments.cancelScheduledPayment({
      scheduleId: schedule!.scheduleId,
    });
    expect(cancelled!.isActive).toBe(false);
    h.clock.set(addDays(today, 5));
    await h.scheduler().runOnce();
    expect(await runsOf(schedule!)).toEqual([]);
    expect(await h.core.balance(accountId)).toBe("100.00");
    const row = await h.service.deps.db.one(sql.unsafe`
      SELECT cancelled_by, cancelled_at FROM scheduled_payments WHERE schedule_id = ${schedule!.scheduleId}
    `);
    expect(row.cancelled_by).toMatch(/^user:\d+$/);
    expect(row.cancelled_at).toBeInstanceOf(Date);
    // Cancelling again answers the same schedule; updating a cancelled one is refused.
    await me.payments.cancelScheduledPayment({ scheduleId: schedule!.scheduleId });
    await expectRefusal(
      me.payments.schedulePayment({
        ...scheduleRequest(accountId, { nextRunDate: addDays(today, 6) }),
        scheduleId: schedule!.scheduleId,
      }),
      Code.FailedPrecondition,
      "SCHEDULE_NOT_ACTIVE",
    );
  });

  it("stops after its end date", async () => {
    const { customerId, accountId } = await h.fundedAccount("ends", "100.00");
    const me = await h.customer(customerId);
    const { scheduledPayment: schedule } = await me.payments.schedulePayment(
      scheduleRequest(accountId, { endDate: addDays(today, 1) }),
    );
    h.clock.set(addDays(today, 6));
    await h.scheduler().runOnce();
    expect((await runsOf(schedule!)).map((r) => r.run_date)).toEqual([today, addDays(today, 1)]);
    const { scheduledPayment } = await me.payments.getScheduledPayment({ scheduleId: schedule!.scheduleId });
    expect(scheduledPayment!.isActive).toBe(false);
  });
});

describe("SchedulePayment", () => {
  it("answers a replay with the first schedule, refuses the key with other parameters, and updates", async () => {
    const { customerId, accountId } = await h.fundedAccount("sched-replay", "100.00");
    const me = await h.customer(customerId);
    const request = scheduleRequest(accountId, {
      frequency: PaymentFrequency.MONTHLY,
      nextRunDate: addDays(today, 10),
    });
    const first = await me.payments.schedulePayment(request);
    const again = await me.payments.schedulePayment(request);
    expect(again.scheduledPayment!.scheduleId).toBe(first.scheduledPayment!.scheduleId);
    await expectRefusal(
      me.payments.schedulePayment({ ...request, amount: "11.00" }),
      Code.AlreadyExists,
      "IDEMPOTENCY_KEY_REUSED",
    );
    const { scheduledPayment: updated } = await me.payments.schedulePayment({
      ...request,
      scheduleId: first.scheduledPayment!.scheduleId,
      amount: "12.50",
      idempotencyKey: key(),
    });
    expect(updated).toMatchObject({
      scheduleId: first.scheduledPayment!.scheduleId,
      amount: "12.50",
      isActive: true,
    });
  });

  it("refuses past dates, unreal dates, a foreign account and another customer's schedule", async () => {
    const mine = await h.fundedAccount("sched-mine", "10.00");
    const theirs = await h.fundedAccount("sched-theirs", "10.00");
    const me = await h.customer(mine.customerId);
    const them = await h.customer(theirs.customerId);
    await expectRefusal(
      me.payments.schedulePayment(scheduleRequest(mine.accountId, { nextRunDate: addDays(today, -1) })),
      Code.InvalidArgument,
    );
    await expectRefusal(
      me.payments.schedulePayment(scheduleRequest(mine.accountId, { nextRunDate: "2031-02-30" })),
      Code.InvalidArgument,
    );
    await expectRefusal(
      me.payments.schedulePayment(
        scheduleRequest(mine.accountId, { nextRunDate: addDays(today, 3), endDate: addDays(today, 1) }),
      ),
      Code.InvalidArgument,
    );
    await expectRefusal(
      me.payments.schedulePayment(scheduleRequest(theirs.accountId)),
      Code.PermissionDenied,
    );
    const { scheduledPayment } = await them.payments.schedulePayment(scheduleRequest(theirs.accountId));
    await expectRefusal(
      me.payments.getScheduledPayment({ scheduleId: scheduledPayment!.scheduleId }),
      Code.PermissionDenied,
    );
    await expectRefusal(
      me.payments.cancelScheduledPayment({ scheduleId: scheduledPayment!.scheduleId }),
      Code.PermissionDenied,
    );
    await expectRefusal(
      me.payments.getScheduledPayment({ scheduleId: 999_999_999_999n }),
      Code.PermissionDenied,
    );
    const { scheduledPayment: still } = await them.payments.getScheduledPayment({
      scheduleId: scheduledPayment!.scheduleId,
    });
    expect(still!.isActive).toBe(true);
  });
});

it("a scheduled payment is an ordinary payment: GetPayment shows it COMPLETED", async () => {
  const { customerId, accountId } = await h.fundedAccount("sched-pay", "30.00");
  const me = await h.customer(customerId);
  await me.payments.schedulePayment(scheduleRequest(accountId, { amount: "30.00" }));
  await h.scheduler().runOnce();
  const { payments } = await me.payments.listAccountPayments({ accountId });
  expect(payments.map((p) => p.status)).toEqual([PaymentStatus.COMPLETED]);
  expect(await h.core.balance(accountId)).toBe("0.00");
});
