// The loan walk-through of the README, through Envoy as an app calls it: a customer applies, is
// approved automatically, sees the principal in their balance, reads the schedule, pays an
// installment; reads their credit score; the refusals an app meets; the same loan over gRPC; and
// the Insights loans report, fed by the loan database's CDC, showing the payout and the repayment.
import { randomUUID } from "node:crypto";
import { jest } from "@jest/globals";
import { LoanService } from "../../gen/ts/fidalex/loan/v1/loan_service_pb.js";
import { LoanStatus } from "../../gen/ts/fidalex/loan/v1/loan_pb.js";
import { money, Money } from "../../services/runtime/money.js";
import { ensureConnector } from "../support/connectors.js";
import { grpcUnary, rest } from "../support/edge.js";
import { eventually } from "../support/eventually.js";
import * as onboarding from "../support/onboarding.js";
import type { User } from "../support/onboarding.js";

jest.setTimeout(180_000);

const run = randomUUID().slice(0, 8);
const today = new Date().toISOString().slice(0, 10);

/** POST /loans/apply: the customer applies for the amount over 24 months, paid out to their account. */
function applyFor(
  customer: { customerId: string; accountId: string; token: string },
  amountRequested: string,
) {
  return rest("POST", "/loans/apply", {
    token: customer.token,
    body: {
      customerId: customer.customerId,
      amountRequested,
      currency: "USD",
      termMonths: 24,
      disbursementAccountId: customer.accountId,
    },
  });
}

/** The USD row of the Insights loans report for today. */
async function loansReport(admin: User) {
  const res = await rest("GET", `/analytics/loans-report?start=${today}&end=${today}`, {
    token: admin.token,
  });
  expect(res.status).toBe(200);
  const usd = (res.body.loanReports as Array<Record<string, string>>).find((r) => r.currency === "USD");
  return {
    disbursedAmount: money(usd?.disbursedAmount ?? "0"),
    repaymentAmount: money(usd?.repaymentAmount ?? "0"),
  };
}

describe("a loan through Envoy", () => {
  let admin: User;
  let lena: onboarding.Borrower;
  let loanId: string;
  let reportBefore: { disbursedAmount: Money; repaymentAmount: Money };

  beforeAll(async () => {
    await ensureConnector("loan");
    admin = await onboarding.loginAdmin();
    lena = await onboarding.creditworthyCustomer(admin, run);
    reportBefore = await loansReport(admin);
  });

  it("applies, is approved automatically and sees the principal in the balance", async () => {
    const applied = await applyFor(lena, "5000.00");
    expect(applied.status).toBe(200);
    expect(applied.body.loanApplication).toMatchObject({
      status: "LOAN_APPLICATION_STATUS_APPROVED",
      decisionBy: "SCORECARD_V1",
      amountRequested: "5000.00",
    });
    loanId = applied.body.loanApplication.loanId;
    const balance = await rest("GET", `/accounts/${lena.accountId}/balance`, { token: lena.token });
    expect(balance.body.accountBalance.balance).toBe("8000.00");
    const loan = await rest("GET", `/loans/${loanId}`, { token: lena.token });
    expect(loan.status).toBe(200);
    expect(loan.body.loan).toMatchObject({
      status: "LOAN_STATUS_ACTIVE",
      principalAmount: "5000.00",
      outstandingBalance: "5000.00",
    });
  });

  it("reads the schedule and pays the first installment", async () => {
    const schedule = await rest("GET", `/loans/${loanId}/payments?pageSize=50`, { token: lena.token });
    expect(schedule.status).toBe(200);
    const installments = schedule.body.installments as Array<Record<string, string>>;
    expect(installments).toHaveLength(24);
    const first = installments[0]!;
    expect(first.status).toBe("LOAN_INSTALLMENT_STATUS_DUE");
    const paid = await rest("POST", `/loans/${loanId}/pay`, {
      token: lena.token,
      body: {
        fromAccountId: lena.accountId,
        amount: first.paymentAmount,
        currency: "USD",
        idempotencyKey: `first-${run}`,
      },
    });
    expect(paid.status).toBe(200);
    expect(paid.body.installments[0]).toMatchObject({
      paymentId: first.paymentId,
      paidAmount: first.paymentAmount,
      status: "LOAN_INSTALLMENT_STATUS_PAID",
      paidDate: today,
    });
    expect(money(paid.body.loan.outstandingBalance).lessThan("5000.00")).toBe(true);
    const balance = await rest("GET", `/accounts/${lena.accountId}/balance`, { token: lena.token });
    expect(balance.body.accountBalance.balance).toBe(money("8000.00").minus(first.paymentAmount!).toFixed(2));
  });

  it("shows the customer their credit score with its factors and the bureau's report", async () => {
    const score = await rest("GET", `/creditscore/${lena.customerId}`, { token: lena.token });
    expect(score.status).toBe(200);
    expect(score.body.creditScore.source).toBe("SCORECARD_V1");
    expect(score.body.creditScore.score).toBeGreaterThanOrEqual(680);
    const report = await rest("GET", `/creditreports/${lena.customerId}`, { token: lena.token });
    expect(report.status).toBe(200);
    expect(report.body.creditReport.reportData.sandboxProfile).toBe("GOOD");
  });

  it("answers bad input 400, no token 401, someone else's loan 403", async () => {
    const zero = await applyFor(lena, "0");
    expect(zero.status).toBe(400);
    const noToken = await rest("GET", `/loans/${loanId}`);
    expect(noToken.status).toBe(401);
    const stranger = await onboarding.registerAndLogin(`sam_${run}`, `Correct-Horse-${run}-9`);
    expect((await rest("GET", `/loans/${loanId}`, { token: stranger.token })).status).toBe(403);
    expect((await rest("GET", `/creditscore/${lena.customerId}`, { token: stranger.token })).status).toBe(
      403,
    );
  });

  it("serves the same loan over gRPC through Envoy", async () => {
    const { loan } = await grpcUnary(LoanService.method.getLoan, { loanId: BigInt(loanId) }, lena.token);
    expect(loan).toMatchObject({
      loanId: BigInt(loanId),
      status: LoanStatus.ACTIVE,
      principalAmount: "5000.00",
    });
  });

  it("shows the payout and the repayment in the Insights loans report, from the loan database's CDC", async () => {
    await eventually(
      "the loan in the loans report",
      async () => {
        const now = await loansReport(admin);
        const disbursed = now.disbursedAmount.minus(reportBefore.disbursedAmount);
        const repaid = now.repaymentAmount.minus(reportBefore.repaymentAmount);
        expect(disbursed.greaterThanOrEqualTo("5000.00")).toBe(true);
        expect(repaid.greaterThan(new Money(0))).toBe(true);
        return true;
      },
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );
  });
});
