// The repayment schedule and how payments are spread over it: exact decimals, checked against a
// case computed by hand and for the properties every schedule must have.
import { money, Money } from "../../runtime/money.js";
import { annuityInstallment, annuitySchedule } from "../loans/amortization.js";
import {
  allocatePayment,
  outstandingPrincipal,
  remainingScheduled,
  type InstallmentState,
} from "../loans/repayment-allocation.js";
import { addMonths } from "../../runtime/calendar.js";

/** A cent a month compounded at the loan's rate: (1 + r)^n − 1) / r cents (n cents without interest). */
function roundingBound(rate: string, months: number): Money {
  const r = money(rate).div(1200);
  const growth = r.isZero() ? new Money(months) : r.plus(1).pow(months).minus(1).div(r);
  return growth.times("0.01").plus("0.01");
}

const sum = (values: string[]) => values.reduce((total, v) => total.plus(v), new Money(0)).toFixed(2);

describe("the annuity schedule", () => {
  it("matches a case computed by hand: 1000.00 at 12 % a year over 3 months", () => {
    // r = 1 % a month; A = 1000 · 0.01 / (1 − 1.01^−3) = 340.0221… → 340.02.
    // Month 1: interest 10.00, principal 330.02, balance 669.98.
    // Month 2: interest 6.6998 → 6.70, principal 333.32, balance 336.66.
    // Month 3: interest 3.3666 → 3.37, principal 336.66 (all that is left), payment 340.03.
    const schedule = annuitySchedule({
      principal: "1000.00",
      annualRatePercent: "12.000",
      termMonths: 3,
      startDate: "2026-01-15",
    });
    expect(schedule).toEqual([
      {
        number: 1,
        dueDate: "2026-02-15",
        paymentAmount: "340.02",
        principalAmount: "330.02",
        interestAmount: "10.00",
        balanceAfter: "669.98",
      },
      {
        number: 2,
        dueDate: "2026-03-15",
        paymentAmount: "340.02",
        principalAmount: "333.32",
        interestAmount: "6.70",
        balanceAfter: "336.66",
      },
      {
        number: 3,
        dueDate: "2026-04-15",
        paymentAmount: "340.03",
        principalAmount: "336.66",
        interestAmount: "3.37",
        balanceAfter: "0.00",
      },
    ]);
  });

  it("knows the textbook installment of 10000.00 at 12 % over a year (888.49)", () => {
    expect(annuityInstallment("10000.00", "12.000", 12)).toBe("888.49");
  });

  it("splits an interest-free loan evenly, the last installment taking the odd cent", () => {
    const schedule = annuitySchedule({
      principal: "1000.00",
      annualRatePercent: "0.000",
      termMonths: 3,
      startDate: "2026-01-01",
    });
    expect(schedule.map((i) => i.paymentAmount)).toEqual(["333.33", "333.33", "333.34"]);
    expect(schedule.map((i) => i.interestAmount)).toEqual(["0.00", "0.00", "0.00"]);
  });

  const cases: Array<[string, string, number]> = [
    ["15000.00", "6.250", 36],
    ["250000.00", "4.125", 360],
    ["999.99", "19.990", 7],
    ["123456.78", "99.999", 480],
    ["5000.00", "11.900", 1],
    ["7300.10", "8.900", 24],
  ];

  it.each(cases)(
    "for %s at %s %% over %i months: principal parts add up to the principal, the balance ends at 0, all in cents",
    (principal, rate, months) => {
      const schedule = annuitySchedule({
        principal,
        annualRatePercent: rate,
        termMonths: months,
        startDate: "2026-01-31",
      });
      expect(schedule).toHaveLength(months);
      expect(sum(schedule.map((i) => i.principalAmount))).toBe(principal);
      expect(schedule[months - 1]!.balanceAfter).toBe("0.00");
      const level = annuityInstallment(principal, rate, months);
      for (const [index, installment] of schedule.entries()) {
        for (const value of [
          installment.paymentAmount,
          installment.principalAmount,
          installment.interestAmount,
        ]) {
          expect(value).toMatch(/^\d+\.\d{2}$/);
        }
        expect(money(installment.principalAmount).plus(installment.interestAmount).toFixed(2)).toBe(
          installment.paymentAmount,
        );
        // Every installment but the last is the level one; the last differs by the rounding only:
        // at most a cent a month, carried forward with interest like any balance.
        if (index < months - 1) expect(installment.paymentAmount).toBe(level);
        else
          expect(
            money(installment.paymentAmount)
              .minus(level)
              .abs()
              .lessThanOrEqualTo(roundingBound(rate, months)),
          ).toBe(true);
      }
    },
  );

  it("never leaves an installment empty, even when the level one is a few cents", () => {
    // 100.00 over 480 months is 0.2083… a month, rounded up to 0.21: paid in full every month,
    // the balance would run out after 477 months.
    const schedule = annuitySchedule({
      principal: "100.00",
      annualRatePercent: "0.000",
      termMonths: 480,
      startDate: "2026-01-01",
    });
    expect(sum(schedule.map((i) => i.principalAmount))).toBe("100.00");
    expect(schedule.every((i) => money(i.paymentAmount).greaterThanOrEqualTo("0.01"))).toBe(true);
    expect(schedule[479]!.balanceAfter).toBe("0.00");
  });

  it("keeps due dates on the start's day of month, or the month's last day", () => {
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonths("2028-01-31", 1)).toBe("2028-02-29");
    expect(addMonths("2026-01-31", 2)).toBe("2026-03-31");
    expect(addMonths("2026-11-15", 3)).toBe("2027-02-15");
    expect(addMonths("2026-03-31", -13)).toBe("2025-02-28");
  });
});

describe("spreading a payment over the installments", () => {
  const installments = (): InstallmentState[] =>
    annuitySchedule({
      principal: "1000.00",
      annualRatePercent: "12.000",
      termMonths: 3,
      startDate: "2026-01-15",
    }).map((i) => ({
      paymentId: BigInt(i.number),
      dueDate: i.dueDate,
      paymentAmount: i.paymentAmount,
      principalAmount: i.principalAmount,
      interestAmount: i.interestAmount,
      paidAmount: "0.00",
      status: "DUE",
    }));

  it("fills the earliest installment first and pays the next one in part", () => {
    expect(allocatePayment(installments(), "400.00")).toEqual([
      { paymentId: 1n, amount: "340.02" },
      { paymentId: 2n, amount: "59.98" },
    ]);
  });

  it("counts interest before principal: a part payment under the interest leaves the principal owed", () => {
    const schedule = installments();
    schedule[0]!.paidAmount = "6.00";
    expect(outstandingPrincipal("1000.00", schedule)).toBe("1000.00");
    schedule[0]!.paidAmount = "110.00";
    expect(outstandingPrincipal("1000.00", schedule)).toBe("900.00");
    schedule[0]!.paidAmount = "340.02";
    expect(outstandingPrincipal("1000.00", schedule)).toBe("669.98");
  });

  it("owes nothing once every installment is paid", () => {
    const schedule = installments().map((i) => ({
      ...i,
      paidAmount: i.paymentAmount,
      status: "PAID" as const,
    }));
    expect(outstandingPrincipal("1000.00", schedule)).toBe("0.00");
    expect(remainingScheduled(schedule).toFixed(2)).toBe("0.00");
  });

  it("refuses to place more than the schedule still owes", () => {
    expect(remainingScheduled(installments()).toFixed(2)).toBe("1020.07");
    expect(() => allocatePayment(installments(), "1020.08")).toThrow(RangeError);
    expect(allocatePayment(installments(), "1020.07")).toHaveLength(3);
  });
});
