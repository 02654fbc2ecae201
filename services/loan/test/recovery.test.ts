// What a request leaves unfinished when the Transaction service is down, and how the recovery
// worker finishes it: a payout left PENDING is paid out once, however often it is retried; an
// assessment left SUBMITTED (the account history could not be read) is completed.
import { LoanApplicationStatus } from "../../../gen/ts/fidalex/loan/v1/loan_application_pb.js";
import { LoanDisbursementStatus } from "../../../gen/ts/fidalex/loan/v1/loan_pb.js";
import { accountOwnerKey, featureKey } from "../credit/applicant-features.js";
import { apply, payoutTransfers, startHarness, type Harness } from "./support/harness.js";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(() => h?.close());

/**
 * Makes sure the customer's features stay cached while the Transaction service is down. The first
 * loan's payout is a transaction, and its transaction.completed reaches the stack's Loan service
 * whenever CDC delivers it (seconds under load), dropping the cached features by the account →
 * customer links. So the links are taken away and the features cached afresh until they hold.
 */
async function keepCachedFeatures(customerId: bigint) {
  const customer = await h.deps.directory.customer(customerId);
  for (let attempt = 0; attempt < 5; attempt++) {
    const { features } = await h.deps.features.featuresOf(customer!);
    await h.redis.del(...features.accountIds.map(accountOwnerKey));
    if ((await h.redis.exists(featureKey(customerId))) === 1) return;
  }
  throw new Error(`the features of customer ${customerId} do not stay cached`);
}

/** Past the worker's minimum age (1 s in the harness). */
const afterMinAge = () => new Promise((resolve) => setTimeout(resolve, 1_100));

it("pays out a loan approved while the Transaction service was down, once, however often it is retried", async () => {
  const applicant = await h.applicant("GOOD");
  // A first loan caches the applicant's features, so the second is assessed without the
  // Transaction service (which gives the account history) and approved while it is down.
  await apply(applicant, "500.00");
  await keepCachedFeatures(applicant.customerId);
  await h.stopTransaction();
  let loanId: bigint;
  try {
    const { loanApplication } = await apply(applicant, "1000.00");
    expect(loanApplication!.status).toBe(LoanApplicationStatus.APPROVED);
    loanId = loanApplication!.loanId;
    const { loan } = await applicant.clients.loans.getLoan({ loanId });
    expect(loan!.disbursementStatus).toBe(LoanDisbursementStatus.PENDING);
  } finally {
    await h.startTransaction();
  }
  expect(await h.balance(applicant.accountId)).toBe("3500.00");

  await afterMinAge();
  expect((await h.deps.recovery.runOnce()).disbursements).toBeGreaterThanOrEqual(1);
  const { loan } = await applicant.clients.loans.getLoan({ loanId });
  expect(loan!.disbursementStatus).toBe(LoanDisbursementStatus.DISBURSED);
  expect(loan!.disbursementTransactionId).toBeGreaterThan(0n);
  expect(await h.balance(applicant.accountId)).toBe("4500.00");

  // Sending the payout again, by hand and by the worker, changes nothing.
  await h.deps.disbursements.disburse(loanId);
  await afterMinAge();
  await h.deps.recovery.runOnce();
  expect(await payoutTransfers(h.transactionDb, loanId)).toBe(1);
  expect(await h.balance(applicant.accountId)).toBe("4500.00");
});

it("finishes an assessment left SUBMITTED once the Transaction service answers again", async () => {
  const applicant = await h.applicant("GOOD");
  await h.stopTransaction();
  const { loanApplication } = await apply(applicant, "1500.00").finally(() => h.startTransaction());
  expect(loanApplication).toMatchObject({
    status: LoanApplicationStatus.SUBMITTED,
    decisionScore: "",
    loanId: 0n,
  });
  await afterMinAge();
  expect((await h.deps.recovery.runOnce()).assessments).toBeGreaterThanOrEqual(1);
  const { loanApplication: after } = await applicant.clients.loans.getLoanApplication({
    applicationId: loanApplication!.applicationId,
  });
  expect(after!.status).toBe(LoanApplicationStatus.APPROVED);
  expect(await h.balance(applicant.accountId)).toBe("4500.00");
});
