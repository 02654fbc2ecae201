// Paying a loan out: a durable state machine on the loan row. Approval commits the loan with its
// payout PENDING (in the same transaction as the decision and the loan.decided event); the payout
// is then a Transfer from the bank's settlement account of the currency to the customer's account,
// always under the key `loan-<loan_id>-disbursement`. The request that approved the loan sends it
// at once; if that does not settle it (the Transaction service was unreachable, answered PENDING,
// or this process died), the recovery worker sends the same transfer again until it does. The
// Transaction service answers a repeated key with the first result, so the principal moves once
// however often, and by however many instances, the transfer is sent.
import type { DatabasePool } from "../../runtime/database.js";
import type { Logger } from "../../runtime/logger.js";
import { formatAmount, money } from "../../runtime/money.js";
import type { TransferGateway } from "../bank-accounts/transfer-gateway.js";
import {
  findLoan,
  markDisbursed,
  markDisbursementFailed,
  recordDisbursementAttempt,
  recordDisbursementTransaction,
  type LoanRow,
} from "./loan-repository.js";

/** The idempotency key of a loan's payout: one per loan, whoever sends it. */
export const disbursementKey = (loanId: bigint) => `loan-${loanId}-disbursement`;

/** Pays loans out. */
export interface Disbursements {
  /**
   * Sends the loan's payout if it is still PENDING and records what became of it; returns the loan
   * as it is then. A failure to reach the Transaction service leaves it PENDING (logged).
   */
  disburse(loanId: bigint, signal?: AbortSignal): Promise<LoanRow | null>;
}

/** Creates the payouts over the database and the Transaction service. */
export function createDisbursements(deps: {
  db: DatabasePool;
  transfers: TransferGateway;
  logger: Logger;
}): Disbursements {
  const { db, transfers, logger } = deps;
  return {
    async disburse(loanId, signal) {
      const loan = await findLoan(db, loanId);
      if (!loan || loan.disbursement_status !== "PENDING") return loan;
      await recordDisbursementAttempt(db, loanId);
      let outcome;
      try {
        outcome = await transfers.transfer(
          {
            fromAccountId: loan.settlement_account_id,
            toAccountId: loan.disbursement_account_id,
            amount: formatAmount(money(loan.principal_amount)),
            currency: loan.currency,
            idempotencyKey: disbursementKey(loanId),
            description: `Loan ${loanId}: payout of the principal`,
          },
          signal,
        );
      } catch (err) {
        logger.warn(
          { err, loanId: String(loanId) },
          "loan payout not settled (retryable); the recovery worker retries it",
        );
        return loan;
      }
      switch (outcome.status) {
        case "SUCCESS": {
          const disbursed = await markDisbursed(db, loanId, outcome.transactionId);
          logger.info(
            { loanId: String(loanId), transactionId: String(outcome.transactionId) },
            "loan paid out",
          );
          return disbursed ?? findLoan(db, loanId);
        }
        case "PENDING":
          await recordDisbursementTransaction(db, loanId, outcome.transactionId);
          logger.warn(
            { loanId: String(loanId) },
            "loan payout pending at the Transaction service (retryable)",
          );
          return findLoan(db, loanId);
        case "FAILED": {
          const failed = await db.transaction((tx) =>
            markDisbursementFailed(tx, loanId, outcome.reason, outcome.transactionId),
          );
          logger.error(
            { loanId: String(loanId), reason: outcome.reason },
            "loan payout refused (not retryable); loan closed",
          );
          return failed ?? findLoan(db, loanId);
        }
      }
    },
  };
}
