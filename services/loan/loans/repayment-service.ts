// Repaying a loan: the customer's account is debited through the Transaction service (a Transfer
// to the bank's settlement account of the loan's currency) and the amount is spread over the
// installments, earliest due date first. Idempotent by the client's key, per loan:
//
// 1. One database transaction checks the loan (ACTIVE, paid out, the amount within what remains
//    after other repayments in flight) and records the repayment PENDING under its key.
// 2. The Transfer, keyed `loan-<loan_id>-repayment-<repayment_id>`: sent again with the same key
//    by a replay or by the recovery worker, it answers the first result and debits once.
// 3. One database transaction records SUCCESS and applies the amount to the installments (closing
//    the loan when nothing is owed), or records FAILED with the refusal's reason.
//
// A replay of a SUCCESS or FAILED repayment answers the first result; of a PENDING one, it sends
// the transfer again. The same key with other parameters is ALREADY_EXISTS.
import { Code } from "@connectrpc/connect";
import type { PayLoanInstallmentRequest } from "../../../gen/ts/fidalex/loan/v1/loan_service_pb.js";
import { actsForBank, actorName, permissionDenied } from "../../runtime/access.js";
import type { Principal } from "../../runtime/auth.js";
import { utcDay } from "../../runtime/calendar.js";
import type { DatabasePool } from "../../runtime/database.js";
import { domainError } from "../../runtime/errors.js";
import type { Logger } from "../../runtime/logger.js";
import { formatAmount, money } from "../../runtime/money.js";
import { requestFingerprint } from "../../runtime/request-fingerprint.js";
import type { AccountDirectory } from "../bank-accounts/account-directory.js";
import type { TransferGateway } from "../bank-accounts/transfer-gateway.js";
import type { Clock } from "../clock.js";
import {
  addToInstallment,
  allInstallments,
  findInstallments,
  findLoan,
  updateOutstanding,
  type InstallmentRow,
  type LoanRow,
} from "./loan-repository.js";
import { loanFor } from "./loan-service.js";
import {
  allocatePayment,
  outstandingPrincipal,
  remainingScheduled,
  type InstallmentState,
} from "./repayment-allocation.js";
import {
  completeRepayment,
  failRepayment,
  findRepayment,
  insertRepayment,
  lockRepayment,
  pendingRepaymentTotal,
  recordRepaymentAttempt,
  type RepaymentRow,
} from "./repayment-repository.js";

/** The loan and the installments a repayment went to, in their state after it. */
export interface RepaymentResult {
  loan: LoanRow;
  installments: readonly InstallmentRow[];
}

/** The idempotency key of a repayment's debit at the Transaction service. */
export const repaymentKey = (loanId: bigint, repaymentId: bigint) =>
  `loan-${loanId}-repayment-${repaymentId}`;

const refusalMessages: Record<string, string> = {
  INSUFFICIENT_FUNDS: "the account's balance plus overdraft limit does not cover the amount",
  ACCOUNT_NOT_ACTIVE: "the account is not active",
  CURRENCY_MISMATCH: "the currency differs from the account's currency",
  ACCOUNT_NOT_FOUND: "the account does not exist",
};

/** The error a FAILED repayment answers with, the first time and on every replay. */
function refusal(row: RepaymentRow) {
  const reason = row.failure_reason ?? "REPAYMENT_FAILED";
  return domainError(
    reason === "ACCOUNT_NOT_FOUND" ? Code.NotFound : Code.FailedPrecondition,
    reason,
    refusalMessages[reason] ?? "the repayment was refused",
    { repayment_id: String(row.repayment_id) },
  );
}

function pending(row: RepaymentRow) {
  return domainError(
    Code.Unavailable,
    "PAYMENT_PENDING",
    "the debit's outcome is not known yet; send the same request again with the same idempotency key",
    { repayment_id: String(row.repayment_id) },
  );
}

function stateOf(row: InstallmentRow): InstallmentState {
  return {
    paymentId: row.payment_id,
    dueDate: row.due_date,
    paymentAmount: row.payment_amount,
    principalAmount: row.principal_amount,
    interestAmount: row.interest_amount,
    paidAmount: row.paid_amount,
    status: row.status,
  };
}

/** Creates the repayments. */
export function createRepayments(deps: {
  db: DatabasePool;
  directory: AccountDirectory;
  transfers: TransferGateway;
  clock: Clock;
  logger: Logger;
}) {
  const { db, directory, transfers, clock, logger } = deps;

  /** The loan and installments of a SUCCESS repayment, as they are now. */
  const resultOf = async (row: RepaymentRow): Promise<RepaymentResult> => ({
    loan: (await findLoan(db, row.loan_id))!,
    installments: await findInstallments(
      db,
      (row.allocation ?? []).map((part) => BigInt(part.payment_id)),
    ),
  });

  /** Applies a settled debit to the schedule, once: a second settler finds the repayment done. */
  const applySettled = (repaymentId: bigint, transactionId: bigint) =>
    db.transaction(async (tx) => {
      const row = await lockRepayment(tx, repaymentId);
      if (row.status !== "PENDING") return row;
      const loan = (await findLoan(tx, row.loan_id, { lock: true }))!;
      const installments = await allInstallments(tx, row.loan_id, { lock: true });
      const parts = allocatePayment(installments.map(stateOf), row.amount);
      const today = utcDay(clock.now());
      for (const part of parts) await addToInstallment(tx, part.paymentId, part.amount, today);
      const after = await allInstallments(tx, row.loan_id);
      await updateOutstanding(
        tx,
        row.loan_id,
        outstandingPrincipal(loan.principal_amount, after.map(stateOf)),
      );
      await completeRepayment(tx, repaymentId, transactionId, parts);
      return lockRepayment(tx, repaymentId);
    });

  /** Sends (or sends again) a PENDING repayment's debit and records its outcome. */
  const settle = async (row: RepaymentRow, signal?: AbortSignal): Promise<RepaymentRow> => {
    const loan = (await findLoan(db, row.loan_id))!;
    let outcome;
    try {
      outcome = await transfers.transfer(
        {
          fromAccountId: row.from_account_id,
          toAccountId: loan.settlement_account_id,
          amount: formatAmount(money(row.amount)),
          currency: row.currency,
          idempotencyKey: repaymentKey(row.loan_id, row.repayment_id),
          description: `Loan ${row.loan_id}: repayment`,
        },
        signal,
      );
    } catch (err) {
      await recordRepaymentAttempt(db, row.repayment_id, null);
      logger.warn({ err, repaymentId: String(row.repayment_id) }, "loan repayment not settled (retryable)");
      return row;
    }
    switch (outcome.status) {
      case "SUCCESS":
        return applySettled(row.repayment_id, outcome.transactionId);
      case "PENDING":
        await recordRepaymentAttempt(db, row.repayment_id, outcome.transactionId);
        return row;
      case "FAILED":
        await failRepayment(db, row.repayment_id, outcome.reason, outcome.transactionId);
        return { ...row, status: "FAILED", failure_reason: outcome.reason };
    }
  };

  /** Answers like the RPC: the result, the refusal, or PAYMENT_PENDING while the debit is open. */
  const conclude = async (row: RepaymentRow, signal?: AbortSignal): Promise<RepaymentResult> => {
    const settled = row.status === "PENDING" ? await settle(row, signal) : row;
    if (settled.status === "FAILED") throw refusal(settled);
    if (settled.status === "PENDING") throw pending(settled);
    return resultOf(settled);
  };

  /** The checks of the debited account: the loan customer's own, active, in the loan's currency. */
  const checkAccount = async (
    principal: Principal,
    loan: LoanRow,
    req: PayLoanInstallmentRequest,
    signal?: AbortSignal,
  ) => {
    const account = await directory.account(req.fromAccountId, signal);
    if (!actsForBank(principal) && (!account || account.customerId !== principal.customerId)) {
      throw permissionDenied("account");
    }
    if (!account) throw domainError(Code.NotFound, "ACCOUNT_NOT_FOUND", "no account has this id");
    if (account.customerId !== loan.customer_id) {
      throw domainError(
        Code.FailedPrecondition,
        "ACCOUNT_NOT_OWNED",
        "the account belongs to another customer",
      );
    }
    if (account.status !== "ACTIVE") {
      throw domainError(Code.FailedPrecondition, "ACCOUNT_NOT_ACTIVE", "the account is not active", {
        account_id: String(account.accountId),
      });
    }
    if (req.currency !== loan.currency || req.currency !== account.currency) {
      throw domainError(
        Code.FailedPrecondition,
        "CURRENCY_MISMATCH",
        "the currency differs from the loan's or the account's",
        {
          loan_currency: loan.currency,
          account_currency: account.currency,
        },
      );
    }
  };

  /** Records a new repayment PENDING, or finds the one a concurrent replay recorded. */
  const record = (
    loanId: bigint,
    req: PayLoanInstallmentRequest,
    amount: string,
    fingerprint: string,
    principal: Principal,
  ) =>
    db.transaction(async (tx) => {
      const loan = (await findLoan(tx, loanId, { lock: true }))!;
      if (loan.status !== "ACTIVE") {
        throw domainError(Code.FailedPrecondition, "LOAN_NOT_ACTIVE", `the loan is ${loan.status}`, {
          loan_id: String(loanId),
        });
      }
      if (loan.disbursement_status !== "DISBURSED") {
        throw domainError(
          Code.FailedPrecondition,
          "LOAN_NOT_DISBURSED",
          "the loan has not been paid out yet",
          {
            loan_id: String(loanId),
          },
        );
      }
      const installments = await allInstallments(tx, loanId);
      const remaining = remainingScheduled(installments.map(stateOf)).minus(
        await pendingRepaymentTotal(tx, loanId),
      );
      if (money(amount).greaterThan(remaining)) {
        throw domainError(
          Code.FailedPrecondition,
          "AMOUNT_EXCEEDS_OUTSTANDING",
          "the amount is more than what remains to be paid on the loan",
          { remaining: formatAmount(remaining) },
        );
      }
      return (
        (await insertRepayment(tx, {
          loanId,
          key: req.idempotencyKey,
          fingerprint,
          fromAccountId: req.fromAccountId,
          amount,
          currency: req.currency,
          initiatedBy: actorName(principal),
        })) ?? (await findRepayment(tx, loanId, req.idempotencyKey))!
      );
    });

  return {
    /** PayLoanInstallment: a customer from their own account to their own loan; staff for them. */
    async pay(
      principal: Principal,
      req: PayLoanInstallmentRequest,
      signal?: AbortSignal,
    ): Promise<RepaymentResult> {
      const loan = await loanFor(db, principal, req.loanId);
      const amount = formatAmount(money(req.amount));
      const fingerprint = requestFingerprint("LOAN_REPAYMENT", [
        req.loanId,
        req.fromAccountId,
        amount,
        req.currency,
      ]);
      let row = await findRepayment(db, req.loanId, req.idempotencyKey);
      if (!row) {
        await checkAccount(principal, loan, req, signal);
        row = await record(req.loanId, req, amount, fingerprint, principal);
      }
      if (row.request_fingerprint !== fingerprint) {
        throw domainError(
          Code.AlreadyExists,
          "IDEMPOTENCY_KEY_REUSED",
          "this idempotency key was used for another repayment of the loan",
        );
      }
      return conclude(row, signal);
    },

    /** Settles a PENDING repayment left behind (the recovery worker); its errors are logged. */
    async resume(repaymentId: bigint, signal?: AbortSignal): Promise<void> {
      const row = await db.transaction((tx) => lockRepayment(tx, repaymentId));
      if (row.status === "PENDING") await settle(row, signal);
    },
  };
}

/** The repayments of a running service. */
export type Repayments = ReturnType<typeof createRepayments>;
