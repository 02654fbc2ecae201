// Repaying a loan as a customer would: an installment paid in full, a partial payment, a replay of
// the same request (paid once), a key reused for another payment, refusals (more than owed, an
// empty account, someone else's account), and paying the loan off, which closes it.
import { Code } from "@connectrpc/connect";
import {
  LoanInstallmentStatus,
  LoanStatus,
  type LoanInstallment,
} from "../../../gen/ts/fidalex/loan/v1/loan_pb.js";
import { utcDay } from "../../runtime/calendar.js";
import { sql } from "../../runtime/database.js";
import { money, Money } from "../../runtime/money.js";
import { apply, expectRefusal, startHarness, type Applicant, type Harness } from "./support/harness.js";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(() => h?.close());

/** An applicant with an approved, paid-out loan of 1200.00 over 6 months. */
async function borrower(): Promise<Applicant & { loanId: bigint; schedule: LoanInstallment[] }> {
  const applicant = await h.applicant("GOOD");
  const { loanApplication } = await apply(applicant, "1200.00", 6);
  const loanId = loanApplication!.loanId;
  const { installments } = await applicant.clients.loans.listLoanPayments({ loanId });
  return { ...applicant, loanId, schedule: installments };
}

/** A payment towards the borrower's loan, by default from their account in USD, sent by `payer`. */
function pay(
  borrower: Applicant & { loanId: bigint },
  fields: { amount: string; idempotencyKey: string; fromAccountId?: bigint; currency?: string },
  payer: Applicant = borrower,
) {
  return payer.clients.loans.payLoanInstallment({
    loanId: borrower.loanId,
    fromAccountId: borrower.accountId,
    currency: "USD",
    ...fields,
  });
}

/** How many debits the Transaction service recorded under the loan's repayment keys. */
const repaymentTransfers = (loanId: bigint) =>
  h.transactionDb.oneFirst(sql.unsafe`
    SELECT COUNT(*)::int FROM idempotency_keys WHERE idempotency_key LIKE ${`loan-${loanId}-repayment-%`}
  `);

describe("paying a loan", () => {
  let b: Awaited<ReturnType<typeof borrower>>;

  beforeAll(async () => {
    b = await borrower();
  });

  it("pays the first installment in full: PAID today, balance and outstanding principal lowered", async () => {
    const first = b.schedule[0]!;
    const before = money(await h.balance(b.accountId));
    const key = h.key("pay");
    const paid = await pay(b, { amount: first.paymentAmount, idempotencyKey: key });
    expect(paid.installments).toHaveLength(1);
    expect(paid.installments[0]).toMatchObject({
      paymentId: first.paymentId,
      paidAmount: first.paymentAmount,
      status: LoanInstallmentStatus.PAID,
      paidDate: utcDay(h.clock.now()),
    });
    const principalPart = await h.deps.db.oneFirst(sql.unsafe`
      SELECT principal_amount::text FROM loan_payments WHERE payment_id = ${first.paymentId}
    `);
    expect(paid.loan).toMatchObject({
      status: LoanStatus.ACTIVE,
      outstandingBalance: money("1200.00").minus(String(principalPart)).toFixed(2),
    });
    expect(await h.balance(b.accountId)).toBe(before.minus(first.paymentAmount).toFixed(2));

    // The same request again: the first result, and no second debit.
    const replay = await pay(b, { amount: first.paymentAmount, idempotencyKey: key });
    expect(replay.installments).toEqual(paid.installments);
    expect(await h.balance(b.accountId)).toBe(before.minus(first.paymentAmount).toFixed(2));
    expect(await repaymentTransfers(b.loanId)).toBe(1);

    // The same key for another amount is refused.
    await expectRefusal(
      pay(b, { amount: "10.00", idempotencyKey: key }),
      Code.AlreadyExists,
      "IDEMPOTENCY_KEY_REUSED",
    );
  });

  it("takes a partial payment: the next installment stays DUE with what was paid", async () => {
    const second = b.schedule[1]!;
    const paid = await pay(b, { amount: "50.00", idempotencyKey: h.key("part") });
    expect(paid.installments).toEqual([
      expect.objectContaining({
        paymentId: second.paymentId,
        paidAmount: "50.00",
        status: LoanInstallmentStatus.DUE,
        paidDate: "",
      }),
    ]);
    // The rest of the second installment and part of the third: the oldest first.
    const rest = money(second.paymentAmount).minus("50.00");
    const next = await pay(b, { amount: rest.plus("1.00").toFixed(2), idempotencyKey: h.key("spill") });
    expect(next.installments.map((i) => [i.paymentId, i.paidAmount, i.status])).toEqual([
      [second.paymentId, second.paymentAmount, LoanInstallmentStatus.PAID],
      [b.schedule[2]!.paymentId, "1.00", LoanInstallmentStatus.DUE],
    ]);
  });

  it("refuses more than the schedule still owes, and an account of someone else", async () => {
    const { installments } = await b.clients.loans.listLoanPayments({ loanId: b.loanId });
    const owed = installments.reduce((sum, i) => sum.plus(i.paymentAmount).minus(i.paidAmount), new Money(0));
    const error = await expectRefusal(
      pay(b, { amount: owed.plus("0.01").toFixed(2), idempotencyKey: h.key("over") }),
      Code.FailedPrecondition,
      "AMOUNT_EXCEEDS_OUTSTANDING",
    );
    expect(error.rawMessage).toContain("more than what remains");
    const other = await h.applicant("GOOD");
    await expectRefusal(
      pay(b, { amount: "1.00", fromAccountId: other.accountId, idempotencyKey: h.key("theirs") }),
      Code.PermissionDenied,
    );
    await expectRefusal(
      pay(b, { amount: "1.00", fromAccountId: other.accountId, idempotencyKey: h.key("not-mine") }, other),
      Code.PermissionDenied,
    );
    await expectRefusal(
      pay(b, { amount: "1.00", currency: "EUR", idempotencyKey: h.key("eur") }),
      Code.FailedPrecondition,
      "CURRENCY_MISMATCH",
    );
  });

  it("records a refused debit once: INSUFFICIENT_FUNDS, the same answer on a replay, nothing applied", async () => {
    const poor = await borrower();
    // Spend the payout and the income, leaving 0.00.
    const spend = await h.balance(poor.accountId);
    const elsewhere = await h.newAccount(poor.customerId);
    await poor.clients.transactions.transfer({
      fromAccountId: poor.accountId,
      toAccountId: elsewhere,
      amount: spend,
      currency: "USD",
      idempotencyKey: h.key("spend"),
    });
    const request = {
      loanId: poor.loanId,
      fromAccountId: poor.accountId,
      amount: poor.schedule[0]!.paymentAmount,
      currency: "USD",
      idempotencyKey: h.key("broke"),
    };
    const first = await expectRefusal(
      poor.clients.loans.payLoanInstallment(request),
      Code.FailedPrecondition,
      "INSUFFICIENT_FUNDS",
    );
    const again = await expectRefusal(
      poor.clients.loans.payLoanInstallment(request),
      Code.FailedPrecondition,
      "INSUFFICIENT_FUNDS",
    );
    expect(again.rawMessage).toBe(first.rawMessage);
    const { installments } = await poor.clients.loans.listLoanPayments({ loanId: poor.loanId });
    expect(installments.every((i) => i.paidAmount === "0.00")).toBe(true);
    expect(await repaymentTransfers(poor.loanId)).toBe(1);
  });

  it("closes the loan when it is paid off: every installment PAID, nothing outstanding", async () => {
    const payer = await borrower();
    const owed = payer.schedule.reduce((sum, i) => sum.plus(i.paymentAmount), new Money(0));
    const paid = await pay(payer, { amount: owed.toFixed(2), idempotencyKey: h.key("payoff") });
    expect(paid.loan).toMatchObject({ status: LoanStatus.CLOSED, outstandingBalance: "0.00" });
    expect(paid.installments).toHaveLength(6);
    expect(paid.installments.every((i) => i.status === LoanInstallmentStatus.PAID)).toBe(true);
    // The customer's account paid the interest on top of the principal it had received.
    expect(await h.balance(payer.accountId)).toBe(money("3000.00").plus("1200.00").minus(owed).toFixed(2));
    await expectRefusal(
      pay(payer, { amount: "1.00", idempotencyKey: h.key("after") }),
      Code.FailedPrecondition,
      "LOAN_NOT_ACTIVE",
    );
  });
});
