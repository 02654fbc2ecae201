// How a repayment is spread over a loan's installments, and what the loan then still owes. Pure
// decimal arithmetic, so the rules are tested without a database.
//
// - A payment goes to the unpaid installments in order of due date (the oldest, LATE ones first),
//   filling each before the next; a payment smaller than the first one's remainder pays it in
//   part.
// - Within an installment the interest part is paid before the principal part, so the principal
//   still owed is the principal minus the principal covered by what was paid.
import { formatAmount, money, Money } from "../../runtime/money.js";

/** An installment as the allocation sees it. */
export interface InstallmentState {
  paymentId: bigint;
  dueDate: string;
  paymentAmount: string;
  principalAmount: string;
  interestAmount: string;
  paidAmount: string;
  status: "DUE" | "PAID" | "LATE" | "DEFAULTED";
}

/** What one installment receives from a payment. */
export interface AllocationPart {
  paymentId: bigint;
  amount: string;
}

/** The remainder of an installment: what is still to be paid on it. */
export function remainderOf(installment: InstallmentState): Money {
  return money(installment.paymentAmount).minus(installment.paidAmount);
}

/** What is still to be paid on the whole schedule. */
export function remainingScheduled(installments: readonly InstallmentState[]): Money {
  return installments.reduce((sum, i) => sum.plus(remainderOf(i)), new Money(0));
}

/**
 * Spreads `amount` over the unpaid installments, earliest due date first. The caller has checked
 * that the amount does not exceed what remains; a remainder that cannot be placed is an error.
 */
export function allocatePayment(installments: readonly InstallmentState[], amount: string): AllocationPart[] {
  let left = money(amount);
  const parts: AllocationPart[] = [];
  const open = installments
    .filter((i) => i.status !== "PAID" && remainderOf(i).greaterThan(0))
    .sort((a, b) =>
      a.dueDate === b.dueDate ? Number(a.paymentId - b.paymentId) : a.dueDate < b.dueDate ? -1 : 1,
    );
  for (const installment of open) {
    if (left.isZero()) break;
    const part = Money.min(left, remainderOf(installment));
    parts.push({ paymentId: installment.paymentId, amount: formatAmount(part) });
    left = left.minus(part);
  }
  if (!left.isZero())
    throw new RangeError(`${formatAmount(left)} of the payment exceeds what the schedule owes`);
  return parts;
}

/** The principal an installment's paid amount covers, interest being paid first. */
export function principalPaid(
  installment: Pick<InstallmentState, "paidAmount" | "interestAmount" | "principalAmount">,
): Money {
  const covered = money(installment.paidAmount).minus(installment.interestAmount);
  return Money.max(0, Money.min(covered, installment.principalAmount));
}

/** The principal still owed: the principal minus what the paid amounts covered of it. */
export function outstandingPrincipal(principal: string, installments: readonly InstallmentState[]): string {
  const paid = installments.reduce((sum, i) => sum.plus(principalPaid(i)), new Money(0));
  return formatAmount(money(principal).minus(paid));
}
