// Loans and the credit score, fulfilled by the Loan & Credit service as the user: where each
// loan and application stands with the next installment, a loan payment (proposed, then executed
// on the user's yes like a transfer) and the latest credit score. When the service cannot answer
// (down, or not deployed yet: UNIMPLEMENTED) the bot says so instead of failing the chat.
import { Code } from "@connectrpc/connect";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { CreditScoreBand } from "../../../gen/ts/fidalex/loan/v1/credit_pb.js";
import { LoanApplicationStatus } from "../../../gen/ts/fidalex/loan/v1/loan_application_pb.js";
import {
  LoanInstallmentStatus,
  LoanStatus,
  type Loan,
  type LoanInstallment,
} from "../../../gen/ts/fidalex/loan/v1/loan_pb.js";
import { money } from "../../runtime/money.js";
import type { PendingAction } from "../dialog/session-store.js";
import { accountLabel, sourceAccount } from "./account-resolution.js";
import { asCaller, codeOf, isUnreachable, type BankAccess, type Caller } from "./banking-clients.js";
import type { CustomerContext } from "./customer-context.js";
import {
  failedExecution,
  proposal,
  say,
  unreachable,
  unresolved,
  type ActionWords,
  type Execution,
  type Fulfil,
} from "./outcome.js";

/** The Loan & Credit fulfilments. */
export interface LoanFulfilment {
  loanStatus: Fulfil;
  proposeLoanPayment: Fulfil;
  /** Executes a confirmed loan payment; `retry` when its outcome is unknown. */
  executeLoanPayment(caller: Caller, action: PendingAction): Promise<Execution>;
  creditScore: Fulfil;
}

const applicationWords: Partial<Record<LoanApplicationStatus, string>> = {
  [LoanApplicationStatus.SUBMITTED]: "has been received and is being assessed",
  [LoanApplicationStatus.UNDER_REVIEW]: "is being reviewed by our staff",
  [LoanApplicationStatus.REJECTED]: "was not approved",
};

const bandWords: Record<CreditScoreBand, string> = {
  [CreditScoreBand.UNSPECIFIED]: "unrated",
  [CreditScoreBand.POOR]: "poor",
  [CreditScoreBand.FAIR]: "fair",
  [CreditScoreBand.GOOD]: "good",
  [CreditScoreBand.VERY_GOOD]: "very good",
  [CreditScoreBand.EXCEPTIONAL]: "exceptional",
};

// How replies name a loan payment, and why the Loan service refused one.
const loanPaymentWords: ActionWords = {
  noun: "payment",
  service: "the loan service",
  done: "paid",
  refusals: {
    INSUFFICIENT_FUNDS: "your account doesn't have enough money for it",
    LOAN_NOT_ACTIVE: "the loan isn't active",
    ACCOUNT_NOT_ACTIVE: "the account isn't active",
    CURRENCY_MISMATCH: "the account and the loan are in different currencies",
    AMOUNT_EXCEEDS_OUTSTANDING: "it is more than what is left to pay on the loan",
  },
};

/** Creates the fulfilments over the caller-forwarding clients. */
export function createLoanFulfilment(bank: BankAccess): LoanFulfilment {
  const { clients } = bank;

  // The customer's applications (newest first), and the loans opened from the approved ones.
  const loansOf = async (caller: Caller, context: CustomerContext) => {
    const { loanApplications } = await clients.loans.listCustomerLoanApplications(
      { customerId: BigInt(context.customerId), pageSize: 50 },
      asCaller(caller, bank),
    );
    const loans = await Promise.all(
      loanApplications
        .filter((a) => a.loanId > 0n)
        .map(async (a) => ({
          purpose: a.purpose,
          loan: (await clients.loans.getLoan({ loanId: a.loanId }, asCaller(caller, bank))).loan!,
        })),
    );
    return { applications: loanApplications, loans };
  };

  // The earliest installment not yet fully paid, reading the schedule page by page.
  const nextInstallment = async (caller: Caller, loan: Loan): Promise<LoanInstallment | undefined> => {
    let pageToken = "";
    do {
      const page = await clients.loans.listLoanPayments(
        { loanId: loan.loanId, pageSize: 100, pageToken },
        asCaller(caller, bank),
      );
      const open = page.installments.find(
        (i) => i.status === LoanInstallmentStatus.DUE || i.status === LoanInstallmentStatus.LATE,
      );
      if (open) return open;
      pageToken = page.nextPageToken;
    } while (pageToken !== "");
    return undefined;
  };

  const loanLine = async (caller: Caller, { loan, purpose }: { loan: Loan; purpose: string }) => {
    const name = `Loan ${loan.loanId}${purpose ? ` (${purpose})` : ""}`;
    if (loan.status !== LoanStatus.ACTIVE) return `- ${name} is ${LoanStatus[loan.status]!.toLowerCase()}.`;
    const next = await nextInstallment(caller, loan);
    const due = next
      ? `; next installment ${money(next.paymentAmount).minus(next.paidAmount).toFixed(2)} ${loan.currency} due ${next.dueDate}` +
        (next.status === LoanInstallmentStatus.LATE ? " (late)" : "")
      : "";
    return `- ${name}: ${loan.outstandingBalance} ${loan.currency} outstanding at ${loan.interestRate}% a year${due}.`;
  };

  return {
    async loanStatus(request, context) {
      try {
        const { applications, loans } = await loansOf(request.caller, context);
        const lines = await Promise.all(loans.map((l) => loanLine(request.caller, l)));
        for (const application of applications) {
          const words = applicationWords[application.status];
          if (words && application.loanId === 0n) {
            lines.push(
              `- Your application ${application.applicationId} for ${application.amountRequested} ${application.currency} ${words}.`,
            );
          }
        }
        if (lines.length === 0) return say("You have no loans or loan applications with us.");
        return { kind: "answer", values: { loans: lines.join("\n") } };
      } catch (error) {
        if (isUnreachable(error)) return unreachable("your loans", "loan");
        throw error;
      }
    },

    async proposeLoanPayment(request, context) {
      const { entities } = request;
      if (!entities.amount) {
        return {
          kind: "ask",
          text: "How much would you like to pay towards your loan?",
          awaiting: { intent: request.intent, entities: { ...entities } },
        };
      }
      const source = sourceAccount(context, entities);
      if ("problem" in source) return unresolved(source.problem);
      let active: Array<{ loan: Loan; purpose: string }>;
      try {
        active = (await loansOf(request.caller, context)).loans.filter(
          (l) => l.loan.status === LoanStatus.ACTIVE,
        );
      } catch (error) {
        if (isUnreachable(error)) return unreachable("your loans", "loan");
        throw error;
      }
      const chosen = entities.loan_id
        ? active.filter((l) => String(l.loan.loanId) === entities.loan_id)
        : active.length === 1
          ? active
          : [];
      if (chosen.length !== 1) {
        if (active.length === 0) return say("You have no active loan to pay towards.");
        const names = active
          .map((l) => `loan ${l.loan.loanId}${l.purpose ? ` (${l.purpose})` : ""}`)
          .join(", ");
        return say(
          `Which loan should I pay towards? You have ${names}; say for example "pay 100 on loan ${active[0]!.loan.loanId}".`,
        );
      }
      const { loan } = chosen[0]!;
      const currency = entities.currency ?? loan.currency;
      if (money(entities.amount).lte(0)) return say("The amount must be more than zero.");
      return proposal(
        request,
        bank.confirmWindowSeconds,
        {
          kind: "LOAN_PAYMENT",
          amount: entities.amount,
          currency,
          fromAccountId: source.account.accountId,
          loanId: String(loan.loanId),
          fromLabel: accountLabel(source.account),
          toLabel: `loan ${loan.loanId}`,
        },
        `You're about to pay ${entities.amount} ${currency} towards loan ${loan.loanId} from your ${accountLabel(source.account)}.`,
      );
    },

    async executeLoanPayment(caller, action) {
      const record = { action: "LOAN_PAYMENT", idempotency_key: action.idempotencyKey };
      try {
        const { loan } = await clients.loans.payLoanInstallment(
          {
            loanId: BigInt(action.loanId!),
            fromAccountId: BigInt(action.fromAccountId),
            amount: action.amount,
            currency: action.currency,
            idempotencyKey: action.idempotencyKey,
          },
          asCaller(caller, bank),
        );
        return {
          retry: false,
          outcome: {
            kind: "answer",
            values: {
              amount: action.amount,
              currency: action.currency,
              loan_id: action.loanId!,
              from_account: action.fromLabel,
              outstanding_balance: loan?.outstandingBalance ?? "",
            },
            record: { ...record, outcome: "PAID" },
          },
        };
      } catch (error) {
        return failedExecution(error, loanPaymentWords, record);
      }
    },

    async creditScore(request, context) {
      try {
        const { creditScore } = await clients.credit.getCreditScore(
          { customerId: BigInt(context.customerId) },
          asCaller(request.caller, bank),
        );
        return {
          kind: "answer",
          values: {
            score: String(creditScore!.score),
            band: bandWords[creditScore!.band],
            source: creditScore!.source,
            computed_on: creditScore!.computedAt
              ? timestampDate(creditScore!.computedAt).toISOString().slice(0, 10)
              : "",
          },
        };
      } catch (error) {
        if (codeOf(error) === Code.NotFound) return say("There is no credit score for you yet.");
        if (isUnreachable(error)) return unreachable("your credit score", "loan");
        throw error;
      }
    },
  };
}
