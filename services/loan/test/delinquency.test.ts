// The daily delinquency run, by moving the service's clock: a loan is opened on a day in the past
// and the run is made as of later days. Installments become LATE the day after their due date and
// DEFAULTED more than 90 days (LOAN_DEFAULT_GRACE_DAYS) after it, which makes the loan DEFAULTED;
// each day is run exactly once, also by two runs at the same time.
//
// The run ages every loan due before its day. So that it touches no loan of today's, the test works
// on days in the past, picked among days no earlier test run has used (each day runs once, for
// good).
import { randomInt } from "node:crypto";
import { Code } from "@connectrpc/connect";
import { LoanInstallmentStatus, LoanStatus } from "../../../gen/ts/fidalex/loan/v1/loan_pb.js";
import { addDays, utcDay } from "../../runtime/calendar.js";
import { sql } from "../../runtime/database.js";
import { apply, expectRefusal, startHarness, type Applicant, type Harness } from "./support/harness.js";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(() => h?.close());

/** A day between 2001 and 2019 such that no run has happened in the 200 days from it. */
async function unusedPastDay(): Promise<string> {
  for (;;) {
    const day = addDays("2001-01-01", randomInt(19 * 365));
    const used = await h.deps.db.oneFirst(sql.unsafe`
      SELECT COUNT(*)::int FROM loan_delinquency_runs WHERE run_date BETWEEN ${day}::date AND ${day}::date + 200
    `);
    if (used === 0) return day;
  }
}

/** Runs the daily run as of a day. */
async function runOn(day: string) {
  h.clock.set(`${day}T06:00:00Z`);
  return h.deps.delinquency.runOnce();
}

describe("the daily delinquency run", () => {
  let b: Applicant;
  let loanId: bigint;
  let dueDates: string[];

  const statuses = async () => {
    const { installments } = await b.clients.loans.listLoanPayments({ loanId });
    return installments.map((i) => LoanInstallmentStatus[i.status]);
  };
  const loanStatus = async () => LoanStatus[(await b.clients.loans.getLoan({ loanId })).loan!.status];

  beforeAll(async () => {
    const start = await unusedPastDay();
    h.clock.set(`${start}T10:00:00Z`);
    b = await h.applicant("GOOD");
    const { loanApplication } = await apply(b, "1200.00", 6);
    loanId = loanApplication!.loanId;
    const { loan } = await b.clients.loans.getLoan({ loanId });
    expect(loan!.startDate).toBe(start);
    dueDates = (await b.clients.loans.listLoanPayments({ loanId })).installments.map((i) => i.dueDate);
  });

  afterAll(() => h.clock.reset());

  it("leaves an installment DUE on its due date and makes it LATE the day after", async () => {
    expect(await runOn(dueDates[0]!)).toMatchObject({ runDate: dueDates[0], ran: true });
    expect(await statuses()).toEqual(["DUE", "DUE", "DUE", "DUE", "DUE", "DUE"]);
    const next = await runOn(addDays(dueDates[0]!, 1));
    expect(next).toMatchObject({ ran: true });
    expect(next.installmentsLate).toBeGreaterThanOrEqual(1);
    expect(await statuses()).toEqual(["LATE", "DUE", "DUE", "DUE", "DUE", "DUE"]);
    expect(await loanStatus()).toBe("ACTIVE");
  });

  it("runs each day once: a second run of the same day does nothing", async () => {
    const again = await runOn(addDays(dueDates[0]!, 1));
    expect(again).toEqual({
      runDate: addDays(dueDates[0]!, 1),
      ran: false,
      installmentsLate: 0,
      installmentsDefaulted: 0,
      loansDefaulted: 0,
    });
  });

  it("runs a day once also when two instances run it at the same time", async () => {
    h.clock.set(`${addDays(dueDates[0]!, 2)}T06:00:00Z`);
    const results = await Promise.all([h.deps.delinquency.runOnce(), h.deps.delinquency.runOnce()]);
    expect(results.map((r) => r.ran).sort()).toEqual([false, true]);
    const rows = await h.deps.db.oneFirst(sql.unsafe`
      SELECT COUNT(*)::int FROM loan_delinquency_runs WHERE run_date = ${addDays(dueDates[0]!, 2)}::date
    `);
    expect(rows).toBe(1);
  });

  it("turns a LATE installment PAID when it is paid", async () => {
    const { installments } = await b.clients.loans.listLoanPayments({ loanId });
    const paid = await b.clients.loans.payLoanInstallment({
      loanId,
      fromAccountId: b.accountId,
      amount: installments[0]!.paymentAmount,
      currency: "USD",
      idempotencyKey: h.key("late"),
    });
    expect(paid.installments[0]).toMatchObject({
      status: LoanInstallmentStatus.PAID,
      paidDate: utcDay(h.clock.now()),
    });
  });

  it("defaults an installment more than 90 days past due, and with it the loan", async () => {
    await runOn(addDays(dueDates[1]!, 1));
    expect(await statuses()).toEqual(["PAID", "LATE", "DUE", "DUE", "DUE", "DUE"]);
    // 90 days past due is still within the grace.
    await runOn(addDays(dueDates[1]!, 90));
    expect((await statuses())[1]).toBe("LATE");
    expect(await loanStatus()).toBe("ACTIVE");
    const day = addDays(dueDates[1]!, 91);
    const result = await runOn(day);
    expect(result.loansDefaulted).toBeGreaterThanOrEqual(1);
    // Every unpaid installment by its own age on that day.
    const expected = dueDates.map((due, i) =>
      i === 0 ? "PAID" : addDays(due, 90) < day ? "DEFAULTED" : due < day ? "LATE" : "DUE",
    );
    expect(expected.slice(0, 3)).toEqual(["PAID", "DEFAULTED", "LATE"]);
    expect(await statuses()).toEqual(expected);
    expect(await loanStatus()).toBe("DEFAULTED");
    await expectRefusal(
      b.clients.loans.payLoanInstallment({
        loanId,
        fromAccountId: b.accountId,
        amount: "1.00",
        currency: "USD",
        idempotencyKey: h.key("defaulted"),
      }),
      Code.FailedPrecondition,
      "LOAN_NOT_ACTIVE",
    );
  });
});
