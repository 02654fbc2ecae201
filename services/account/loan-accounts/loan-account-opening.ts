// The consumer of loan.decided: for every approved loan the Account service opens the customer's
// LOAN account (type LOAN, zero balance, in the loan's currency, at the branch of the account the
// loan is paid out to), which stands for the loan among the customer's accounts. Exactly once per
// loan: the event's id is recorded with the effect (processed_events), and the link table's key
// (loan_id) refuses a second account even for a second event about the same loan. Rejections
// change nothing here. Money never moves here: the Loan service pays loans out and takes
// repayments through the Transaction service.
import { fromJson } from "@bufbuild/protobuf";
import { LoanDecidedSchema, type LoanDecided } from "../../../gen/ts/fidalex/events/v1/loan_decided_pb.js";
import { LoanApplicationStatus } from "../../../gen/ts/fidalex/loan/v1/loan_application_pb.js";
import type { DatabasePool, DatabaseTransactionConnection } from "../../runtime/database.js";
import {
  consumerWorker,
  NonRetryableError,
  startIdempotentConsumer,
  type ConsumedEvent,
} from "../../runtime/kafka-consumer.js";
import type { Logger } from "../../runtime/logger.js";
import type { BackgroundWorker } from "../../runtime/service.js";
import { findAccount } from "../account/account-repository.js";
import { createAccountRecord } from "../account/account-service.js";
import { findCustomer } from "../customer/customer-repository.js";
import { findLoanAccountId, insertLoanAccountLink } from "./loan-account-repository.js";

/** The topic the consumer reads and its consumer group. */
export const loanDecidedTopic = "loan.decided";
export const loanAccountConsumerName = "account-loan-accounts";

/** Who the audit trail names for accounts opened from loan decisions. */
const openedBy = "svc:loan";

function readEvent(event: ConsumedEvent): LoanDecided {
  try {
    return fromJson(LoanDecidedSchema, event.value as never, { ignoreUnknownFields: true });
  } catch (cause) {
    throw new NonRetryableError("not a LoanDecided event", { cause });
  }
}

/** Opens the LOAN account of an approved loan, unless it exists; returns its id (or null). */
export async function openLoanAccount(
  tx: DatabaseTransactionConnection,
  decided: LoanDecided,
): Promise<bigint | null> {
  if (decided.status !== LoanApplicationStatus.APPROVED || decided.loanId <= 0n) return null;
  const existing = await findLoanAccountId(tx, decided.loanId);
  if (existing !== null) return existing;
  if (!(await findCustomer(tx, decided.customerId))) {
    throw new NonRetryableError(`loan ${decided.loanId}: no customer ${decided.customerId}`);
  }
  const payout =
    decided.disbursementAccountId > 0n ? await findAccount(tx, decided.disbursementAccountId) : null;
  const currency = decided.currency || payout?.currency;
  if (!currency) throw new NonRetryableError(`loan ${decided.loanId}: the event names no currency`);
  // A loan account is a record of the loan, not a purse: no overdraft and no cash withdrawals.
  const { account } = await createAccountRecord(
    tx,
    { customerId: decided.customerId, accountType: "LOAN", currency, branchId: payout?.branch_id ?? 1 },
    { overdraftLimit: "0.00", dailyWithdrawalLimit: "0.00", notificationsEnabled: true },
    openedBy,
    {
      loan_id: String(decided.loanId),
      application_id: String(decided.applicationId),
      principal: decided.amount,
    },
  );
  await insertLoanAccountLink(tx, {
    loanId: decided.loanId,
    applicationId: decided.applicationId,
    accountId: account.account_id,
  });
  return account.account_id;
}

/** Creates the consumer as a worker of the Account service (started after the server listens). */
export function createLoanAccountOpening(deps: {
  db: DatabasePool;
  brokers: string[];
  logger: Logger;
}): BackgroundWorker {
  const { db, brokers, logger } = deps;
  return consumerWorker({ brokers, topics: [loanDecidedTopic], logger }, () =>
    startIdempotentConsumer({
      name: loanAccountConsumerName,
      brokers,
      topics: [loanDecidedTopic],
      db,
      logger,
      async handle(event, tx) {
        if (event.value === undefined) return;
        const decided = readEvent(event);
        const accountId = await openLoanAccount(tx, decided);
        if (accountId !== null) {
          logger.info(
            { loanId: String(decided.loanId), accountId: String(accountId) },
            "LOAN account of an approved loan",
          );
        }
      },
    }),
  );
}
