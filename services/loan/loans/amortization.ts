// The repayment schedule of a loan: a fixed monthly installment (an annuity) in exact decimals.
// Each month's interest is the outstanding principal times the monthly rate, rounded to the cent;
// the rest of the installment repays principal. Rounding leaves a few cents over or under after
// the last month, so the last installment is whatever clears the principal exactly: the principal
// parts always add up to the principal and the final balance is zero.
import { addMonths } from "../../runtime/calendar.js";
import { formatAmount, money, Money } from "../../runtime/money.js";

/** One installment of a schedule, amounts as decimal strings with two fraction digits. */
export interface ScheduledInstallment {
  /** 1 for the first month. */
  number: number;
  dueDate: string;
  /** principalAmount + interestAmount. */
  paymentAmount: string;
  principalAmount: string;
  interestAmount: string;
  /** The principal still owed after this installment is paid. */
  balanceAfter: string;
}

/** What a schedule is computed from. */
export interface LoanTerms {
  /** The principal, a decimal string such as "15000.00". */
  principal: string;
  /** The nominal yearly rate in percent, e.g. "6.250"; the monthly rate is a twelfth of it. */
  annualRatePercent: string;
  termMonths: number;
  /** The loan's first day, YYYY-MM-DD; installment k is due k months later. */
  startDate: string;
}

/** Rounds to the cent, half-even like every amount of the mesh. */
function cents(value: Money): Money {
  return value.toDecimalPlaces(2, Money.ROUND_HALF_EVEN);
}

/**
 * The level monthly installment that repays the principal with interest in `termMonths` months:
 * P·r / (1 − (1 + r)^−n) with r the monthly rate, or P / n without interest, rounded to the cent.
 */
export function annuityInstallment(principal: string, annualRatePercent: string, termMonths: number): string {
  const p = money(principal);
  const r = money(annualRatePercent).div(1200);
  if (r.isZero()) return formatAmount(cents(p.div(termMonths)));
  const factor = new Money(1).minus(r.plus(1).pow(-termMonths));
  return formatAmount(cents(p.times(r).div(factor)));
}

/** The full schedule of an annuity loan. */
export function annuitySchedule(terms: LoanTerms): ScheduledInstallment[] {
  const installment = money(annuityInstallment(terms.principal, terms.annualRatePercent, terms.termMonths));
  const monthlyRate = money(terms.annualRatePercent).div(1200);
  let balance = money(terms.principal);
  const schedule: ScheduledInstallment[] = [];
  for (let number = 1; number <= terms.termMonths; number++) {
    const interest = cents(balance.times(monthlyRate));
    // The last installment repays exactly what is left, absorbing the rounding of all months.
    // Earlier ones leave at least a cent for each month still to come: a level installment
    // rounded up can otherwise run the balance out early when it is tiny (100.00 over 480 months),
    // and no installment may be empty.
    const reserve = new Money(terms.termMonths - number).times("0.01");
    const principalPart =
      number === terms.termMonths ? balance : Money.min(installment.minus(interest), balance.minus(reserve));
    balance = balance.minus(principalPart);
    schedule.push({
      number,
      dueDate: addMonths(terms.startDate, number),
      paymentAmount: formatAmount(principalPart.plus(interest)),
      principalAmount: formatAmount(principalPart),
      interestAmount: formatAmount(interest),
      balanceAfter: formatAmount(balance),
    });
  }
  return schedule;
}
