// Applying for a loan as a customer would, against the real Account, Transaction and Loan
// services: each decision path (automatic approval and rejection, staff approval and rejection
// after review), what the customer then sees (the application, its decision log, the loan, its
// schedule, the money in their account, their credit score and report), the loan.decided events,
// and the refusals: bad input, an unverified customer, other customers' data, staff rules.
import { Code } from "@connectrpc/connect";
import {
  LoanApplicationStatus,
  LoanDecisionOutcome,
} from "../../../gen/ts/fidalex/loan/v1/loan_application_pb.js";
import {
  LoanDisbursementStatus,
  LoanInstallmentStatus,
  LoanStatus,
} from "../../../gen/ts/fidalex/loan/v1/loan_pb.js";
import { CreditScoreBand } from "../../../gen/ts/fidalex/loan/v1/credit_pb.js";
import { sql } from "../../runtime/database.js";
import { queryPlan } from "../../../test/support/query-plan.js";
import { reportsByReferenceQuery } from "../credit/credit-repository.js";
import {
  applicationOf,
  apply,
  expectRefusal,
  startHarness,
  type Applicant,
  type Harness,
} from "./support/harness.js";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(() => h?.close());

const decidedEvents = async (applicationId: bigint) =>
  (await h.deps.db.anyFirst(sql.unsafe`
    SELECT payload FROM outbox WHERE topic = 'loan.decided' AND aggregateid = ${String(applicationId)}
  `)) as Array<Record<string, unknown>>;

describe("a GOOD credit file", () => {
  let applicant: Applicant;
  let applicationId: bigint;
  let loanId: bigint;
  let score: string;

  beforeAll(async () => {
    applicant = await h.applicant("GOOD");
  });

  it("is approved automatically by SCORECARD_V1, with the score recorded", async () => {
    const { loanApplication } = await applicant.clients.loans.applyForLoan(
      applicationOf(applicant, { purpose: "a used car" }),
    );
    expect(loanApplication).toMatchObject({
      customerId: applicant.customerId,
      amountRequested: "5000.00",
      currency: "USD",
      termMonths: 24,
      purpose: "a used car",
      status: LoanApplicationStatus.APPROVED,
      decisionBy: "SCORECARD_V1",
      disbursementAccountId: applicant.accountId,
    });
    expect(Number(loanApplication!.decisionScore)).toBeGreaterThanOrEqual(680);
    expect(loanApplication!.decisionScore).toMatch(/^\d{3}\.00$/);
    expect(loanApplication!.reviewedAt).toBeDefined();
    expect(loanApplication!.loanId).toBeGreaterThan(0n);
    applicationId = loanApplication!.applicationId;
    loanId = loanApplication!.loanId;
    score = loanApplication!.decisionScore;

    const { decisions } = await applicant.clients.loans.getLoanApplication({ applicationId });
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({
      decision: LoanDecisionOutcome.AUTO_APPROVED,
      decisionBy: "SCORECARD_V1",
      decisionScore: loanApplication!.decisionScore,
    });
  });

  it("pays the principal into the customer's account at once, through the Transaction service", async () => {
    expect(await h.balance(applicant.accountId)).toBe("8000.00");
    const { loan } = await applicant.clients.loans.getLoan({ loanId });
    expect(loan).toMatchObject({
      loanId,
      applicationId,
      customerId: applicant.customerId,
      principalAmount: "5000.00",
      outstandingBalance: "5000.00",
      currency: "USD",
      status: LoanStatus.ACTIVE,
      disbursementStatus: LoanDisbursementStatus.DISBURSED,
      disbursementAccountId: applicant.accountId,
    });
    expect(["6.900", "8.900", "11.900"]).toContain(loan!.interestRate);
    const { transaction } = await applicant.clients.transactions.getTransaction({
      transactionId: loan!.disbursementTransactionId,
    });
    expect(transaction).toMatchObject({ amount: "5000.00", relatedAccountId: applicant.accountId });
  });

  it("opens a 24-month annuity schedule whose principal parts add up to the principal", async () => {
    const { loan } = await applicant.clients.loans.getLoan({ loanId });
    const { installments, nextPageToken } = await applicant.clients.loans.listLoanPayments({
      loanId,
      pageSize: 10,
    });
    expect(installments).toHaveLength(10);
    const rest = await applicant.clients.loans.listLoanPayments({ loanId, pageToken: nextPageToken });
    const all = [...installments, ...rest.installments];
    expect(all).toHaveLength(24);
    expect(rest.nextPageToken).toBe("");
    expect(all.every((i) => i.status === LoanInstallmentStatus.DUE && i.paidAmount === "0.00")).toBe(true);
    expect(all[0]!.dueDate > loan!.startDate).toBe(true);
    expect(all[23]!.dueDate).toBe(loan!.endDate);
    // Level installments; the last one absorbs the rounding.
    expect(new Set(all.slice(0, 23).map((i) => i.paymentAmount)).size).toBe(1);
    const principalParts = await h.deps.db.oneFirst(sql.unsafe`
      SELECT SUM(principal_amount)::text FROM loan_payments WHERE loan_id = ${loanId}
    `);
    expect(principalParts).toBe("5000.00");
  });

  it("publishes loan.decided through the outbox, in the decision's transaction", async () => {
    const events = await decidedEvents(applicationId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      applicationId: String(applicationId),
      customerId: String(applicant.customerId),
      status: "LOAN_APPLICATION_STATUS_APPROVED",
      decision: "LOAN_DECISION_OUTCOME_AUTO_APPROVED",
      decisionBy: "SCORECARD_V1",
      loanId: String(loanId),
      currency: "USD",
      amount: "5000.00",
      disbursementAccountId: String(applicant.accountId),
    });
    expect(events[0]!.eventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("shows the customer their score with the factors behind it, and the bureau's report", async () => {
    const { creditScore } = await applicant.clients.credit.getCreditScore({
      customerId: applicant.customerId,
    });
    expect(creditScore).toMatchObject({ customerId: applicant.customerId, source: "SCORECARD_V1" });
    expect(creditScore!.score).toBe(Number(score));
    expect([CreditScoreBand.GOOD, CreditScoreBand.VERY_GOOD, CreditScoreBand.EXCEPTIONAL]).toContain(
      creditScore!.band,
    );
    expect(creditScore!.factors).toHaveLength(10);
    const first = creditScore!.factors[0]!;
    expect(first.maxPoints - first.points).toBeGreaterThanOrEqual(
      creditScore!.factors[9]!.maxPoints - creditScore!.factors[9]!.points,
    );
    expect(creditScore!.factors.map((f) => f.code)).toContain("PAYMENT_HISTORY");

    const { creditReport } = await applicant.clients.credit.getCreditReport({
      customerId: applicant.customerId,
      reportSource: "",
    });
    expect(creditReport).toMatchObject({
      customerId: applicant.customerId,
      reportSource: "FidalexSandboxBureau",
    });
    expect(creditReport!.reportData).toMatchObject({
      sandboxProfile: "GOOD",
      subject: { customerId: String(applicant.customerId) },
    });
    expect((creditReport!.reportData!.tradelines as unknown[]).length).toBeGreaterThanOrEqual(4);
    await expectRefusal(
      applicant.clients.credit.getCreditReport({
        customerId: applicant.customerId,
        reportSource: "Experian",
      }),
      Code.NotFound,
      "CREDIT_REPORT_NOT_FOUND",
    );
  });
});

describe("a POOR credit file", () => {
  it("is rejected automatically, with the reasons in the log and a loan.decided event, and no loan", async () => {
    const applicant = await h.applicant("POOR");
    const { loanApplication } = await apply(applicant);
    expect(loanApplication).toMatchObject({
      status: LoanApplicationStatus.REJECTED,
      decisionBy: "SCORECARD_V1",
      loanId: 0n,
    });
    expect(Number(loanApplication!.decisionScore)).toBeLessThan(580);
    const { decisions } = await applicant.clients.loans.getLoanApplication({
      applicationId: loanApplication!.applicationId,
    });
    expect(decisions).toHaveLength(1);
    expect(decisions[0]!.decision).toBe(LoanDecisionOutcome.AUTO_REJECTED);
    expect(decisions[0]!.comments).toContain("PAYMENT_HISTORY");
    const events = await decidedEvents(loanApplication!.applicationId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      status: "LOAN_APPLICATION_STATUS_REJECTED",
      decision: "LOAN_DECISION_OUTCOME_AUTO_REJECTED",
    });
    expect(events[0]!.loanId).toBeUndefined();
    expect(await h.balance(applicant.accountId)).toBe("3000.00");
    const { creditScore } = await applicant.clients.credit.getCreditScore({
      customerId: applicant.customerId,
    });
    expect(creditScore!.band).toBe(CreditScoreBand.POOR);
    expect(creditScore!.factors.slice(0, 2).map((f) => f.code)).toEqual([
      "PAYMENT_HISTORY",
      "CREDIT_UTILIZATION",
    ]);
  });
});

describe("a FAIR credit file", () => {
  let applicant: Applicant;

  beforeEach(async () => {
    applicant = await h.applicant("FAIR");
  });

  it("is referred to staff, who approve it with a rate and comments: the loan opens and is paid out", async () => {
    const { loanApplication } = await apply(applicant, "4000.00", 12);
    expect(loanApplication).toMatchObject({
      status: LoanApplicationStatus.UNDER_REVIEW,
      decisionBy: "",
      loanId: 0n,
    });
    const score = Number(loanApplication!.decisionScore);
    expect(score).toBeGreaterThanOrEqual(580);
    expect(score).toBeLessThan(680);
    expect(await decidedEvents(loanApplication!.applicationId)).toHaveLength(0);

    const underwriter = await h.teller();
    const decided = await underwriter.loans.decideLoanApplication({
      applicationId: loanApplication!.applicationId,
      decision: LoanApplicationStatus.APPROVED,
      interestRate: "13.5",
      comments: "stable salary; one late payment two years ago",
    });
    expect(decided.loanApplication).toMatchObject({
      status: LoanApplicationStatus.APPROVED,
      decisionScore: loanApplication!.decisionScore,
    });
    expect(decided.loanApplication!.decisionBy).toMatch(/^user:\d+$/);
    expect(decided.decision).toMatchObject({
      decision: LoanDecisionOutcome.MANUAL_APPROVED,
      comments: "stable salary; one late payment two years ago",
      decisionBy: decided.loanApplication!.decisionBy,
    });
    expect(decided.loan).toMatchObject({
      principalAmount: "4000.00",
      interestRate: "13.500",
      status: LoanStatus.ACTIVE,
      disbursementStatus: LoanDisbursementStatus.DISBURSED,
    });
    expect(await h.balance(applicant.accountId)).toBe("7000.00");
    const events = await decidedEvents(loanApplication!.applicationId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      decision: "LOAN_DECISION_OUTCOME_MANUAL_APPROVED",
      loanId: String(decided.loan!.loanId),
    });

    // Decided once: a second decision is refused.
    await expectRefusal(
      underwriter.loans.decideLoanApplication({
        applicationId: loanApplication!.applicationId,
        decision: LoanApplicationStatus.REJECTED,
      }),
      Code.FailedPrecondition,
      "APPLICATION_NOT_UNDER_REVIEW",
    );
  });

  it("is referred to staff, who reject it: no loan, a MANUAL_REJECTED log entry and event", async () => {
    const { loanApplication } = await apply(applicant, "20000.00", 60);
    expect(loanApplication!.status).toBe(LoanApplicationStatus.UNDER_REVIEW);
    const decided = await (
      await h.teller()
    ).loans.decideLoanApplication({
      applicationId: loanApplication!.applicationId,
      decision: LoanApplicationStatus.REJECTED,
      comments: "debt too high for the income",
    });
    expect(decided.loanApplication!.status).toBe(LoanApplicationStatus.REJECTED);
    expect(decided.decision!.decision).toBe(LoanDecisionOutcome.MANUAL_REJECTED);
    expect(decided.loan).toBeUndefined();
    const { decisions } = await applicant.clients.loans.getLoanApplication({
      applicationId: loanApplication!.applicationId,
    });
    expect(decisions.map((d) => d.decision)).toEqual([LoanDecisionOutcome.MANUAL_REJECTED]);
    expect((await decidedEvents(loanApplication!.applicationId))[0]).toMatchObject({
      status: "LOAN_APPLICATION_STATUS_REJECTED",
      decision: "LOAN_DECISION_OUTCOME_MANUAL_REJECTED",
    });
    expect(await h.balance(applicant.accountId)).toBe("3000.00");
  });

  it("may be decided by staff only, and never by a staff member on their own customer record", async () => {
    const { loanApplication } = await apply(applicant);
    const applicationId = loanApplication!.applicationId;
    await expectRefusal(
      applicant.clients.loans.decideLoanApplication({
        applicationId,
        decision: LoanApplicationStatus.APPROVED,
        interestRate: "1.0",
      }),
      Code.PermissionDenied,
    );
    const staffCustomer = await h.as({
      sub: String(9_000_000 + Number(applicant.customerId)),
      roles: ["TELLER"],
      cid: applicant.customerId,
    });
    await expectRefusal(
      staffCustomer.loans.decideLoanApplication({
        applicationId,
        decision: LoanApplicationStatus.APPROVED,
        interestRate: "1.0",
      }),
      Code.PermissionDenied,
      "OWN_APPLICATION",
    );
    await expectRefusal(
      (await h.teller()).loans.decideLoanApplication({
        applicationId: 9_000_000_000n,
        decision: LoanApplicationStatus.REJECTED,
      }),
      Code.NotFound,
      "APPLICATION_NOT_FOUND",
    );
    // The contract's own rules: a rate is needed to approve, and only APPROVED or REJECTED.
    await expectRefusal(
      (await h.teller()).loans.decideLoanApplication({
        applicationId,
        decision: LoanApplicationStatus.APPROVED,
      }),
      Code.InvalidArgument,
    );
    await expectRefusal(
      (await h.teller()).loans.decideLoanApplication({
        applicationId,
        decision: LoanApplicationStatus.SUBMITTED,
      }),
      Code.InvalidArgument,
    );
    const { loanApplication: still } = await applicant.clients.loans.getLoanApplication({ applicationId });
    expect(still!.status).toBe(LoanApplicationStatus.UNDER_REVIEW);
  });
});

describe("bad input", () => {
  let applicant: Applicant;

  beforeAll(async () => {
    applicant = await h.applicant("GOOD");
  });

  it.each([
    ["a zero amount", { amountRequested: "0.00" }],
    ["a negative amount", { amountRequested: "-5.00" }],
    ["an amount with three decimals", { amountRequested: "10.005" }],
    ["a term of 0 months", { termMonths: 0 }],
    ["a term over 480 months", { termMonths: 481 }],
    ["no currency", { currency: "" }],
  ])("refuses %s as INVALID_ARGUMENT", async (_, change) => {
    await expectRefusal(
      applicant.clients.loans.applyForLoan(applicationOf(applicant, change)),
      Code.InvalidArgument,
    );
  });

  it("refuses amounts outside the bank's limits, naming the field", async () => {
    const error = await expectRefusal(
      apply(applicant, "250000.01"),
      Code.InvalidArgument,
      "INVALID_ARGUMENT",
    );
    expect(error.rawMessage).toBe("amount_requested: must be at most 250000.00");
    const small = await expectRefusal(apply(applicant, "99.99"), Code.InvalidArgument);
    expect(small.rawMessage).toBe("amount_requested: must be at least 100.00");
  });

  it("refuses a customer whose identity is not verified", async () => {
    const customerId = await h.newCustomer("GOOD", { verified: false });
    const clients = await h.customer(customerId);
    await expectRefusal(
      clients.loans.applyForLoan(applicationOf({ customerId, accountId: applicant.accountId })),
      Code.FailedPrecondition,
      "KYC_NOT_VERIFIED",
    );
  });

  it("refuses a payout account of another customer, in another currency, or missing", async () => {
    const other = await h.applicant("GOOD");
    await expectRefusal(
      applicant.clients.loans.applyForLoan(
        applicationOf(applicant, { disbursementAccountId: other.accountId }),
      ),
      Code.FailedPrecondition,
      "ACCOUNT_NOT_OWNED",
    );
    const euros = await h.newAccount(applicant.customerId, "EUR");
    await expectRefusal(
      applicant.clients.loans.applyForLoan(applicationOf(applicant, { disbursementAccountId: euros })),
      Code.FailedPrecondition,
      "CURRENCY_MISMATCH",
    );
    await expectRefusal(
      applicant.clients.loans.applyForLoan(
        applicationOf(applicant, { disbursementAccountId: 9_000_000_000n }),
      ),
      Code.NotFound,
      "ACCOUNT_NOT_FOUND",
    );
  });
});

describe("who sees and does what", () => {
  let owner: Applicant;
  let applicationId: bigint;
  let loanId: bigint;

  beforeAll(async () => {
    owner = await h.applicant("GOOD");
    const { loanApplication } = await apply(owner, "1500.00", 6);
    applicationId = loanApplication!.applicationId;
    loanId = loanApplication!.loanId;
  });

  it("lets customers apply only for themselves, not staff on their behalf", async () => {
    const stranger = await h.customer(owner.customerId + 1n);
    await expectRefusal(stranger.loans.applyForLoan(applicationOf(owner)), Code.PermissionDenied);
    await expectRefusal((await h.teller()).loans.applyForLoan(applicationOf(owner)), Code.PermissionDenied);
  });

  it("refuses another customer's application, loan, schedule, score and report alike, existing or not", async () => {
    const stranger = await h.customer(owner.customerId + 1n);
    for (const call of [
      () => stranger.loans.getLoanApplication({ applicationId }),
      () => stranger.loans.getLoanApplication({ applicationId: 9_000_000_000n }),
      () => stranger.loans.getLoan({ loanId }),
      () => stranger.loans.getLoan({ loanId: 9_000_000_000n }),
      () => stranger.loans.listLoanPayments({ loanId }),
      () => stranger.loans.listCustomerLoanApplications({ customerId: owner.customerId }),
      () => stranger.credit.getCreditScore({ customerId: owner.customerId }),
      () => stranger.credit.getCreditReport({ customerId: owner.customerId }),
    ]) {
      await expectRefusal(call(), Code.PermissionDenied, "PERMISSION_DENIED");
    }
  });

  it("lets staff read everything, and tells them what does not exist", async () => {
    const staff = await h.teller();
    expect((await staff.loans.getLoanApplication({ applicationId })).loanApplication!.customerId).toBe(
      owner.customerId,
    );
    expect((await staff.loans.getLoan({ loanId })).loan!.customerId).toBe(owner.customerId);
    expect((await staff.loans.listLoanPayments({ loanId })).installments).toHaveLength(6);
    expect(
      (await staff.credit.getCreditScore({ customerId: owner.customerId })).creditScore!.customerId,
    ).toBe(owner.customerId);
    const missing: Array<[() => Promise<unknown>, string]> = [
      [() => staff.loans.getLoan({ loanId: 9_000_000_000n }), "LOAN_NOT_FOUND"],
      [() => staff.loans.getLoanApplication({ applicationId: 9_000_000_000n }), "APPLICATION_NOT_FOUND"],
      [() => staff.credit.getCreditScore({ customerId: 9_000_000_000n }), "CREDIT_SCORE_NOT_FOUND"],
    ];
    for (const [call, reason] of missing) await expectRefusal(call(), Code.NotFound, reason);
  });

  it("lists a customer's applications newest first, filtered by status, page by page", async () => {
    await apply(owner, "2000.00", 12);
    await apply(owner, "2500.00", 12);
    const first = await owner.clients.loans.listCustomerLoanApplications({
      customerId: owner.customerId,
      pageSize: 2,
    });
    expect(first.loanApplications.map((a) => a.amountRequested)).toEqual(["2500.00", "2000.00"]);
    const second = await owner.clients.loans.listCustomerLoanApplications({
      customerId: owner.customerId,
      pageSize: 2,
      pageToken: first.nextPageToken,
    });
    expect(second.loanApplications.map((a) => a.amountRequested)).toEqual(["1500.00"]);
    expect(second.nextPageToken).toBe("");
    const approved = await owner.clients.loans.listCustomerLoanApplications({
      customerId: owner.customerId,
      status: LoanApplicationStatus.REJECTED,
    });
    expect(approved.loanApplications).toEqual([]);
    await expectRefusal(
      owner.clients.loans.listCustomerLoanApplications({ customerId: owner.customerId, pageToken: "bm9wZQ" }),
      Code.InvalidArgument,
      "INVALID_PAGE_TOKEN",
    );
  });
});

describe("the stored credit reports", () => {
  it("are found by their contents through the GIN index (jsonb_path_ops)", async () => {
    const plan = await queryPlan(h.deps.db, reportsByReferenceQuery("SBX-1-20260101"));
    expect(plan).toContain("idx_cr_report_data_gin");
  });
});
