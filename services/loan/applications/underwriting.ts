// Underwriting: the automatic assessment of a SUBMITTED application (features → scorecard →
// AUTO_APPROVED, AUTO_REJECTED or UNDER_REVIEW for staff), and the recording of any decision,
// automatic or manual. A decision is one database transaction: the application's new status, the
// decision log entry, on approval the loan with its schedule, and the loan.decided event in the
// outbox, so the event exists exactly when the decision committed.
import { Code } from "@connectrpc/connect";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { LoanDecidedSchema } from "../../../gen/ts/fidalex/events/v1/loan_decided_pb.js";
import {
  LoanApplicationStatus,
  LoanDecisionOutcome,
} from "../../../gen/ts/fidalex/loan/v1/loan_application_pb.js";
import { utcDay } from "../../runtime/calendar.js";
import type { DatabasePool, DatabaseTransactionConnection } from "../../runtime/database.js";
import { domainError } from "../../runtime/errors.js";
import type { Logger } from "../../runtime/logger.js";
import { formatAmount, money } from "../../runtime/money.js";
import { appendOutboxEvent, newEventHeader } from "../../runtime/outbox.js";
import type { AccountDirectory, CustomerFacts } from "../bank-accounts/account-directory.js";
import type { Clock } from "../clock.js";
import type { FeatureStore } from "../credit/applicant-features.js";
import { insertScore } from "../credit/credit-repository.js";
import {
  highestAutomaticRate,
  scoreApplicant,
  type ScoreFeatures,
  type ScoreResult,
} from "../credit/scorecard.js";
import { annuityInstallment, annuitySchedule } from "../loans/amortization.js";
import { insertLoan, type LoanRow } from "../loans/loan-repository.js";
import {
  findApplication,
  insertDecision,
  updateApplicationStatus,
  type ApplicationRow,
  type DecisionKind,
  type DecisionRow,
} from "./application-repository.js";

/** The topic of loan decisions. */
export const loanDecidedTopic = "loan.decided";

/** A decision to record. */
export interface Decision {
  kind: DecisionKind;
  /** The model version or the staff member, e.g. "SCORECARD_V1" or "user:42". */
  by: string;
  score: string | null;
  comments: string | null;
  /** For an approval: the yearly rate in percent and the account the payout comes from. */
  approval?: { annualRatePercent: string; settlementAccountId: bigint };
}

/** What recording a decision produced. */
export interface RecordedDecision {
  log: DecisionRow;
  loan: LoanRow | null;
}

const outcomes: Record<DecisionKind, LoanDecisionOutcome> = {
  AUTO_APPROVED: LoanDecisionOutcome.AUTO_APPROVED,
  AUTO_REJECTED: LoanDecisionOutcome.AUTO_REJECTED,
  MANUAL_APPROVED: LoanDecisionOutcome.MANUAL_APPROVED,
  MANUAL_REJECTED: LoanDecisionOutcome.MANUAL_REJECTED,
};

/**
 * Records a decision on an application whose row the transaction holds: on approval the loan
 * (start today, an annuity schedule) is opened with its payout PENDING.
 */
export async function recordDecision(
  tx: DatabaseTransactionConnection,
  application: ApplicationRow,
  decision: Decision,
  clock: Clock,
): Promise<RecordedDecision> {
  let loan: LoanRow | null = null;
  if (decision.approval) {
    const startDate = utcDay(clock.now());
    const schedule = annuitySchedule({
      principal: application.amount_requested,
      annualRatePercent: decision.approval.annualRatePercent,
      termMonths: application.term_months,
      startDate,
    });
    loan = await insertLoan(
      tx,
      {
        applicationId: application.application_id,
        customerId: application.customer_id,
        principal: application.amount_requested,
        interestRate: decision.approval.annualRatePercent,
        currency: application.currency,
        startDate,
        endDate: schedule[schedule.length - 1]!.dueDate,
        disbursementAccountId: application.disbursement_account_id,
        settlementAccountId: decision.approval.settlementAccountId,
      },
      schedule,
    );
  }
  const approved = decision.approval !== undefined;
  const log = await insertDecision(tx, {
    applicationId: application.application_id,
    decision: decision.kind,
    decisionBy: decision.by,
    decisionScore: decision.score,
    comments: decision.comments,
  });
  await updateApplicationStatus(tx, application.application_id, {
    status: approved ? "APPROVED" : "REJECTED",
    decisionBy: decision.by,
    decisionScore: decision.score,
  });
  await appendOutboxEvent(tx, {
    topic: loanDecidedTopic,
    aggregateType: "loan_application",
    aggregateId: application.application_id,
    schema: LoanDecidedSchema,
    message: create(LoanDecidedSchema, {
      ...newEventHeader(),
      applicationId: application.application_id,
      customerId: application.customer_id,
      status: approved ? LoanApplicationStatus.APPROVED : LoanApplicationStatus.REJECTED,
      decisionScore: decision.score ?? "",
      timestamp: timestampFromDate(log.decision_ts),
      decision: outcomes[decision.kind],
      decisionBy: decision.by,
      loanId: loan?.loan_id ?? 0n,
      currency: application.currency,
      amount: formatAmount(money(application.amount_requested)),
      disbursementAccountId: application.disbursement_account_id,
    }),
  });
  return { log, loan };
}

/** What the assessment needs. */
export interface UnderwritingDeps {
  db: DatabasePool;
  directory: AccountDirectory;
  features: FeatureStore;
  clock: Clock;
  logger: Logger;
}

/** What an assessment came to. */
export interface Assessment {
  application: ApplicationRow;
  /** The loan opened by an automatic approval. */
  loan: LoanRow | null;
}

/** The scorecard's features for an application: the applicant's, plus its affordability. */
export function scoreFeaturesOf(
  application: Pick<ApplicationRow, "amount_requested" | "term_months">,
  features: Awaited<ReturnType<FeatureStore["featuresOf"]>>["features"],
): ScoreFeatures {
  // Affordability at the highest rate an automatic approval can carry, so it is never overstated.
  const installment = annuityInstallment(
    application.amount_requested,
    highestAutomaticRate(),
    application.term_months,
  );
  const income = money(features.history.monthlyIncome);
  return {
    ...features.bureau,
    paymentToIncome: income.greaterThan(0)
      ? money(installment).div(income).toDecimalPlaces(4).toNumber()
      : null,
    overdraftDays: features.history.overdraftDays,
    averageBalance: features.history.averageBalance,
    tenureMonths: features.history.tenureMonths,
  };
}

/** Creates the automatic assessment. */
export function createUnderwriting(deps: UnderwritingDeps) {
  const { db, directory, features, clock, logger } = deps;

  return {
    /**
     * Assesses a SUBMITTED application: scores it and records AUTO_APPROVED, AUTO_REJECTED or
     * UNDER_REVIEW. An application that is no longer SUBMITTED is returned as it is. Throws when
     * the bureau or another service cannot answer; the application then stays SUBMITTED for the
     * recovery worker.
     */
    async assess(
      applicationId: bigint,
      known: { customer?: CustomerFacts; settlementAccountId?: bigint | null } = {},
      signal?: AbortSignal,
    ): Promise<Assessment> {
      const application = await findApplication(db, applicationId);
      if (!application || application.status !== "SUBMITTED")
        return { application: application!, loan: null };
      const customer = known.customer ?? (await directory.customer(application.customer_id, signal));
      if (!customer) throw domainError(Code.NotFound, "CUSTOMER_NOT_FOUND", "no customer has this id");
      const lookup = await features.featuresOf(customer, signal);
      const result: ScoreResult = scoreApplicant(scoreFeaturesOf(application, lookup.features));
      // Approval needs a settlement account to pay out from; without one, staff decide.
      const settlementAccountId =
        known.settlementAccountId !== undefined
          ? known.settlementAccountId
          : await directory.settlementAccount(application.currency, signal);
      const score = formatAmount(money(String(result.score)));
      logger.info(
        {
          applicationId: String(applicationId),
          score: result.score,
          outcome: result.outcome,
          featuresCached: lookup.cached,
        },
        "application assessed",
      );
      return db.transaction(async (tx) => {
        const locked = (await findApplication(tx, applicationId, { lock: true }))!;
        if (locked.status !== "SUBMITTED") return { application: locked, loan: null };
        await insertScore(tx, {
          customerId: locked.customer_id,
          applicationId,
          reportId: BigInt(lookup.features.reportId),
          score: result.score,
          modelVersion: result.modelVersion,
          factors: result.factors.map((f) => ({
            code: f.code,
            description: f.description,
            points: f.points,
            max_points: f.maxPoints,
          })),
          features: { ...scoreFeaturesOf(locked, lookup.features), computedAt: lookup.features.computedAt },
        });
        let loan: LoanRow | null = null;
        if (
          result.outcome === "REFER" ||
          (result.outcome === "AUTO_APPROVED" && settlementAccountId === null)
        ) {
          await updateApplicationStatus(tx, applicationId, {
            status: "UNDER_REVIEW",
            decisionBy: null,
            decisionScore: score,
          });
        } else {
          const approve = result.outcome === "AUTO_APPROVED" && settlementAccountId !== null;
          ({ loan } = await recordDecision(
            tx,
            locked,
            {
              kind: approve ? "AUTO_APPROVED" : "AUTO_REJECTED",
              by: result.modelVersion,
              score,
              comments: `score ${result.score}; ${
                result.factors
                  .filter((f) => f.points < f.maxPoints)
                  .slice(0, 4)
                  .map((f) => f.code)
                  .join(", ") || "no adverse factors"
              }`,
              approval: approve
                ? { annualRatePercent: result.annualRatePercent!, settlementAccountId: settlementAccountId! }
                : undefined,
            },
            clock,
          ));
        }
        return { application: (await findApplication(tx, applicationId))!, loan };
      });
    },
  };
}

/** The automatic assessment of a running service. */
export type Underwriting = ReturnType<typeof createUnderwriting>;
