// The loan walk-through of the README, through Envoy as an app calls it: a customer applies, is
// approved automatically, sees the principal in their balance, reads the schedule, pays an
// installment; reads their credit score; the refusals an app meets; the same loan over gRPC; and
// the Insights loans report, fed by the loan database's CDC, showing the payout and the repayment.
//
// The Loan service is the stack's when it runs (port 18105); otherwise this test starts it in
// process on that port, with the stack's environment and the `loan` client's credentials, which
// the stack's Auth service knows once stack/services/loan.env is part of the stack. To run it
// against a stack whose Auth service does not know `loan` yet, give other credentials as
// LOAN_E2E_SERVICE_CLIENT=<client id>:<secret>.
import { randomUUID } from "node:crypto";
import { jest } from "@jest/globals";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { ServiceTokenService } from "../../gen/ts/fidalex/auth/v1/service_token_service_pb.js";
import { LoanService } from "../../gen/ts/fidalex/loan/v1/loan_service_pb.js";
import { LoanStatus } from "../../gen/ts/fidalex/loan/v1/loan_pb.js";
import { Health, HealthCheckResponse_ServingStatus } from "../../gen/ts/grpc/health/v1/health_pb.js";
import { sandboxProfileOf } from "../../services/loan/credit/sandbox-bureau.js";
import { start } from "../../services/loan/main.js";
import { createLogger } from "../../services/runtime/logger.js";
import { money, Money } from "../../services/runtime/money.js";
import { ensureConnector } from "../support/connectors.js";
import { grpcUnary, rest } from "../support/edge.js";
import { eventually } from "../support/eventually.js";
import * as onboarding from "../support/onboarding.js";
import type { User } from "../support/onboarding.js";
import { stackEnv, stackVar } from "../support/stack.js";

jest.setTimeout(180_000);

const run = randomUUID().slice(0, 8);
const today = new Date().toISOString().slice(0, 10);
let stopLoan: (() => Promise<void>) | undefined;

/** The Loan service on its stack port: the stack's, or one started here. */
async function ensureLoanService() {
  const port = stackVar("FIDALEX_LOAN_PORT");
  const health = createClient(Health, createGrpcTransport({ baseUrl: `http://127.0.0.1:${port}` }));
  const serving = await health.check({ service: "" }, { timeoutMs: 2_000 }).then(
    (res) => res.status === HealthCheckResponse_ServingStatus.SERVING,
    () => false,
  );
  if (serving) return;
  const env = stackEnv();
  const [clientId, secret] = (
    process.env.LOAN_E2E_SERVICE_CLIENT ??
    `loan:${env.FIDALEX_LOAN_CLIENT_SECRET ?? "loan-dev-client-secret"}`
  ).split(":") as [string, string];
  const authUrl = env.AUTH_URL ?? `http://127.0.0.1:${env.FIDALEX_AUTH_PORT}`;
  await createClient(ServiceTokenService, createGrpcTransport({ baseUrl: authUrl }))
    .issueServiceToken({ clientId, clientSecret: secret }, { timeoutMs: 5_000 })
    .catch((error: unknown) => {
      throw new Error(
        `the stack's Auth service refuses the client "${clientId}" (${String(error)}): add stack/services/loan.env ` +
          "to the stack (it puts loan into SERVICE_CLIENT_SECRETS), or set LOAN_E2E_SERVICE_CLIENT=<id>:<secret>",
      );
    });
  const running = await start({
    port: Number(port),
    logger: createLogger("loan-e2e", process.env.LOG_LEVEL ?? "silent"),
    env: {
      DATABASE_URL: env.LOAN_DATABASE_URL,
      REDIS_URL: env.REDIS_URL,
      KAFKA_BROKERS: env.KAFKA_BROKERS,
      AUTH_URL: authUrl,
      ACCOUNT_URL: env.ACCOUNT_URL,
      TRANSACTION_URL: env.TRANSACTION_URL,
      SERVICE_CLIENT_ID: clientId,
      SERVICE_CLIENT_SECRET: secret,
    },
  });
  stopLoan = () => running.close();
}

const password = `Correct-Horse-${run}-9`;

/**
 * A registered, KYC-verified customer whose sandbox credit file is GOOD (customer id divisible by
 * 3), with a current account that received a salary. New users are registered until the customer
 * id fits.
 */
async function goodCustomer(admin: User) {
  for (let attempt = 0; ; attempt++) {
    const user = await onboarding.registerAndLogin(`lena_${run}_${attempt}`, password);
    const customerId = await onboarding.createCustomer(user, `Borrower ${run}`);
    if (sandboxProfileOf(BigInt(customerId)) !== "GOOD") continue;
    const linked = await onboarding.verifyAndLink(user, admin, customerId);
    const accountId = await onboarding.openAccount(linked, customerId);
    const salary = await rest("POST", "/transactions/deposit", {
      token: admin.token,
      body: { accountId, amount: "3000.00", currency: "USD", idempotencyKey: `salary-${run}` },
    });
    expect(salary.status).toBe(200);
    return { customerId, accountId, token: linked.token };
  }
}

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
  let lena: Awaited<ReturnType<typeof goodCustomer>>;
  let loanId: string;
  let reportBefore: { disbursedAmount: Money; repaymentAmount: Money };

  beforeAll(async () => {
    await ensureConnector("loan");
    await ensureLoanService();
    admin = await onboarding.login(
      stackVar("BOOTSTRAP_ADMIN_USERNAME"),
      stackVar("BOOTSTRAP_ADMIN_PASSWORD"),
    );
    lena = await goodCustomer(admin);
    reportBefore = await loansReport(admin);
  });

  afterAll(() => stopLoan?.());

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
    const stranger = await onboarding.registerAndLogin(`sam_${run}`, password);
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
