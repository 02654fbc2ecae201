// The rules of loan applications: who may apply and for what, the staff decision on applications
// under review, who reads which applications, and the one mapper from stored applications and
// decisions to the contract's LoanApplication and LoanDecision messages.
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import {
  LoanApplicationSchema,
  LoanApplicationStatus,
  LoanDecisionOutcome,
  LoanDecisionSchema,
  type LoanApplication,
  type LoanDecision,
} from "../../../gen/ts/fidalex/loan/v1/loan_application_pb.js";
import type {
  ApplyForLoanRequest,
  DecideLoanApplicationRequest,
  ListCustomerLoanApplicationsRequest,
} from "../../../gen/ts/fidalex/loan/v1/loan_service_pb.js";
import { actorName, reachableResource, requireCustomerAccess, requireStaff } from "../../runtime/access.js";
import type { Principal } from "../../runtime/auth.js";
import type { CommonQueryMethods, DatabasePool } from "../../runtime/database.js";
import { domainError, invalidArgument } from "../../runtime/errors.js";
import type { Logger } from "../../runtime/logger.js";
import { formatAmount, money } from "../../runtime/money.js";
import { fetchNewestFirst, type Page } from "../../runtime/pagination.js";
import { requestFingerprint } from "../../runtime/request-fingerprint.js";
import type { AccountDirectory } from "../bank-accounts/account-directory.js";
import type { Clock } from "../clock.js";
import type { Disbursements } from "../loans/disbursement.js";
import type { LoanRow } from "../loans/loan-repository.js";
import {
  findApplication,
  insertApplication,
  listCustomerApplications,
  listDecisions,
  type ApplicationRow,
  type ApplicationStatus,
  type DecisionRow,
} from "./application-repository.js";
import { recordDecision, type Underwriting } from "./underwriting.js";

/** The LoanApplication message of a stored application. */
export function toLoanApplication(row: ApplicationRow): LoanApplication {
  return create(LoanApplicationSchema, {
    applicationId: row.application_id,
    customerId: row.customer_id,
    amountRequested: formatAmount(money(row.amount_requested)),
    currency: row.currency,
    termMonths: row.term_months,
    purpose: row.purpose ?? "",
    status: LoanApplicationStatus[row.status],
    submittedAt: timestampFromDate(row.submitted_at),
    reviewedAt: row.reviewed_at ? timestampFromDate(row.reviewed_at) : undefined,
    decisionBy: row.decision_by ?? "",
    decisionScore: row.decision_score === null ? "" : formatAmount(money(row.decision_score)),
    disbursementAccountId: row.disbursement_account_id,
    loanId: row.loan_id ?? 0n,
  });
}

/** The LoanDecision message of a decision log entry. */
export function toLoanDecision(row: DecisionRow): LoanDecision {
  return create(LoanDecisionSchema, {
    logId: row.log_id,
    applicationId: row.application_id,
    decision: LoanDecisionOutcome[row.decision],
    decisionBy: row.decision_by,
    decisionScore: row.decision_score === null ? "" : formatAmount(money(row.decision_score)),
    comments: row.comments ?? "",
    decisionTs: timestampFromDate(row.decision_ts),
  });
}

/** The bank's limits on what may be asked. */
export interface LendingLimits {
  minAmount: string;
  maxAmount: string;
  maxTermMonths: number;
}

/** What the application rules need. */
export interface ApplicationServiceDeps {
  db: DatabasePool;
  directory: AccountDirectory;
  underwriting: Underwriting;
  disbursements: Disbursements;
  clock: Clock;
  logger: Logger;
  limits: LendingLimits;
}

function applicationNotFound() {
  return domainError(Code.NotFound, "APPLICATION_NOT_FOUND", "no application has this id");
}

function failed(reason: string, message: string, metadata: Record<string, string> = {}) {
  return domainError(Code.FailedPrecondition, reason, message, metadata);
}

/** The application for a caller allowed to see it: its customer, staff or a mesh service. */
export function applicationFor(db: CommonQueryMethods, principal: Principal, applicationId: bigint) {
  return reachableResource(
    principal,
    "application",
    () => findApplication(db, applicationId),
    (application) => application.customer_id,
    applicationNotFound,
  );
}

/** Creates the application rules. */
export function createApplicationService(deps: ApplicationServiceDeps) {
  const { db, directory, underwriting, disbursements, clock, logger, limits } = deps;

  /** Pays an approved loan out at once; a failure leaves it to the recovery worker. */
  const payOut = async (loan: LoanRow | null, signal?: AbortSignal) => {
    if (!loan) return null;
    try {
      return (await disbursements.disburse(loan.loan_id, signal)) ?? loan;
    } catch (err) {
      logger.warn(
        { err, loanId: String(loan.loan_id) },
        "loan payout failed (retryable); the recovery worker retries it",
      );
      return loan;
    }
  };

  /** The request's amount and term within the bank's limits (the contract allows more). */
  const checkLimits = (req: ApplyForLoanRequest) => {
    const violations: Array<{ field: string; description: string }> = [];
    const amount = money(req.amountRequested);
    if (amount.lessThan(limits.minAmount)) {
      violations.push({
        field: "amount_requested",
        description: `must be at least ${formatAmount(money(limits.minAmount))}`,
      });
    }
    if (amount.greaterThan(limits.maxAmount)) {
      violations.push({
        field: "amount_requested",
        description: `must be at most ${formatAmount(money(limits.maxAmount))}`,
      });
    }
    if (req.termMonths > limits.maxTermMonths) {
      violations.push({ field: "term_months", description: `must be at most ${limits.maxTermMonths}` });
    }
    if (violations.length > 0) throw invalidArgument(violations);
  };

  return {
    /**
     * ApplyForLoan: a KYC-verified customer applies for themselves, to be paid out into one of
     * their own active accounts in the loan's currency. The application is recorded SUBMITTED,
     * assessed at once and, if approved, paid out; if the assessment cannot finish now, the
     * application stays SUBMITTED and the recovery worker finishes it.
     */
    async apply(
      principal: Principal,
      req: ApplyForLoanRequest,
      signal?: AbortSignal,
    ): Promise<ApplicationRow> {
      if (principal.customerId === undefined || principal.customerId !== req.customerId) {
        throw domainError(
          Code.PermissionDenied,
          "PERMISSION_DENIED",
          "customers apply for loans only for themselves",
        );
      }
      checkLimits(req);
      const customer = await directory.customer(req.customerId, signal);
      if (!customer) throw domainError(Code.NotFound, "CUSTOMER_NOT_FOUND", "no customer has this id");
      if (customer.kycStatus !== "VERIFIED") {
        throw failed("KYC_NOT_VERIFIED", "the customer's identity is not verified", {
          customer_id: String(req.customerId),
        });
      }
      const account = await directory.account(req.disbursementAccountId, signal);
      if (!account) throw domainError(Code.NotFound, "ACCOUNT_NOT_FOUND", "no account has this id");
      const accountId = { account_id: String(account.accountId) };
      if (account.customerId !== req.customerId) {
        throw failed("ACCOUNT_NOT_OWNED", "the disbursement account belongs to another customer", accountId);
      }
      if (account.status !== "ACTIVE")
        throw failed("ACCOUNT_NOT_ACTIVE", "the disbursement account is not active", accountId);
      if (account.currency !== req.currency) {
        throw failed(
          "CURRENCY_MISMATCH",
          "the disbursement account's currency differs from the requested currency",
          {
            ...accountId,
            account_currency: account.currency,
          },
        );
      }
      const settlementAccountId = await directory.settlementAccount(req.currency, signal);
      if (settlementAccountId === null) {
        throw failed("CURRENCY_NOT_LENT", "the bank does not lend in this currency", {
          currency: req.currency,
        });
      }
      const application = await insertApplication(db, {
        customerId: req.customerId,
        amount: formatAmount(money(req.amountRequested)),
        currency: req.currency,
        termMonths: req.termMonths,
        purpose: req.purpose || null,
        disbursementAccountId: req.disbursementAccountId,
      });
      try {
        const assessed = await underwriting.assess(
          application.application_id,
          { customer, settlementAccountId },
          signal,
        );
        await payOut(assessed.loan, signal);
        return assessed.application;
      } catch (err) {
        logger.warn(
          { err, applicationId: String(application.application_id) },
          "assessment did not finish (retryable); the application stays SUBMITTED for the recovery worker",
        );
        return application;
      }
    },

    /**
     * DecideLoanApplication: staff approve (with a rate) or reject an application UNDER_REVIEW,
     * never one of their own customer record.
     */
    async decide(
      principal: Principal,
      req: DecideLoanApplicationRequest,
      signal?: AbortSignal,
    ): Promise<{ application: ApplicationRow; log: DecisionRow; loan: LoanRow | null }> {
      requireStaff(principal);
      const application = await findApplication(db, req.applicationId);
      if (!application) throw applicationNotFound();
      if (principal.customerId !== undefined && principal.customerId === application.customer_id) {
        throw domainError(
          Code.PermissionDenied,
          "OWN_APPLICATION",
          "staff may not decide their own application",
        );
      }
      const notUnderReview = () =>
        failed("APPLICATION_NOT_UNDER_REVIEW", `the application is ${application.status}, not UNDER_REVIEW`, {
          application_id: String(req.applicationId),
        });
      if (application.status !== "UNDER_REVIEW") throw notUnderReview();
      const approve = req.decision === LoanApplicationStatus.APPROVED;
      let approval: { annualRatePercent: string; settlementAccountId: bigint } | undefined;
      if (approve) {
        const account = await directory.account(application.disbursement_account_id, signal);
        if (!account || account.status !== "ACTIVE") {
          throw failed("ACCOUNT_NOT_ACTIVE", "the disbursement account is no longer active", {
            account_id: String(application.disbursement_account_id),
          });
        }
        const settlementAccountId = await directory.settlementAccount(application.currency, signal);
        if (settlementAccountId === null) {
          throw failed("CURRENCY_NOT_LENT", "the bank does not lend in this currency", {
            currency: application.currency,
          });
        }
        approval = { annualRatePercent: money(req.interestRate).toFixed(3), settlementAccountId };
      }
      const recorded = await db.transaction(async (tx) => {
        const locked = (await findApplication(tx, req.applicationId, { lock: true }))!;
        if (locked.status !== "UNDER_REVIEW") throw notUnderReview();
        const decision = await recordDecision(
          tx,
          locked,
          {
            kind: approve ? "MANUAL_APPROVED" : "MANUAL_REJECTED",
            by: actorName(principal),
            score: locked.decision_score,
            comments: req.comments || null,
            approval,
          },
          clock,
        );
        return { ...decision, application: (await findApplication(tx, req.applicationId))! };
      });
      const loan = await payOut(recorded.loan, signal);
      return { application: recorded.application, log: recorded.log, loan };
    },

    /** GetLoanApplication: the application and its decision log, oldest first. */
    async get(principal: Principal, applicationId: bigint) {
      const application = await applicationFor(db, principal, applicationId);
      return { application, decisions: await listDecisions(db, applicationId) };
    },

    /** ListCustomerLoanApplications: a customer's applications, newest first. */
    list(principal: Principal, req: ListCustomerLoanApplicationsRequest): Promise<Page<ApplicationRow>> {
      requireCustomerAccess(principal, req.customerId);
      const status =
        req.status === LoanApplicationStatus.UNSPECIFIED
          ? undefined
          : (LoanApplicationStatus[req.status] as ApplicationStatus);
      return fetchNewestFirst(
        req,
        requestFingerprint("ListCustomerLoanApplications", [req.customerId, status ?? "ANY"]),
        (after, limit) => listCustomerApplications(db, req.customerId, status, { after, limit }),
        (row) => ({ us: row.submitted_us, id: row.application_id }),
      );
    },
  };
}

/** The application rules of a running service. */
export type ApplicationService = ReturnType<typeof createApplicationService>;
