// What each captured table's change does to the warehouse. One applier per source topic: it reads
// the change (throwing NonRetryableError when it is malformed) and applies it with the
// repository's LSN-ordered upserts, returning whether anything changed.
import type { DatabaseTransactionConnection } from "../../runtime/database.js";
import { NonRetryableError } from "../../runtime/kafka-consumer.js";
import type { CdcChange } from "./cdc-record.js";
import * as warehouse from "./warehouse-repository.js";
import {
  toAccountRow,
  toBranchRow,
  toCustomerRow,
  toLoanApplicationRow,
  toLoanPaymentRow,
  toLoanRow,
  toPaymentFact,
  toTransactionFact,
} from "./warehouse-rows.js";

/** The Debezium topics the loader reads: `cdc.<database>.public.<table>`. */
export const cdcTopics = {
  branches: "cdc.account.public.branches",
  customers: "cdc.account.public.customers",
  accounts: "cdc.account.public.accounts",
  transactions: "cdc.transaction.public.transactions",
  payments: "cdc.payment.public.payments",
  loanApplications: "cdc.loan.public.loan_applications",
  loanAccounts: "cdc.loan.public.loan_accounts",
  loanPayments: "cdc.loan.public.loan_payments",
} as const;

/**
 * A transaction arrived before its account: retryable, because the account's change (another
 * topic) usually follows within moments.
 */
export class AccountNotLoadedError extends Error {
  constructor(accountId: bigint) {
    super(`account ${accountId} has not been loaded yet`);
    this.name = "AccountNotLoadedError";
  }
}

/** What an applier may ask of the loader. */
export interface ApplyContext {
  /** Whether a transaction whose account is unknown should wait (be retried) rather than load now. */
  waitForAccount(): boolean;
}

type Applier = (
  tx: DatabaseTransactionConnection,
  change: CdcChange,
  context: ApplyContext,
) => Promise<boolean>;

/**
 * Applies a change with the full row; for a delete whose row carries only its key (the source
 * table's default replica identity), flags the stored row deleted instead.
 */
async function withDeletes<Row>(
  change: CdcChange,
  read: (change: CdcChange) => Row,
  apply: (row: Row) => Promise<boolean>,
  flagDeleted: () => Promise<boolean>,
): Promise<boolean> {
  let row: Row;
  try {
    row = read(change);
  } catch (error) {
    if (change.deleted && error instanceof NonRetryableError) return flagDeleted();
    throw error;
  }
  return apply(row);
}

const applyBranch: Applier = (tx, change) =>
  withDeletes(
    change,
    toBranchRow,
    (row) => warehouse.upsertBranch(tx, row, change.lsn, change.deleted),
    () => warehouse.flagDeleted(tx, "dim_branch", change.row.int32("branch_id"), change.lsn),
  );

const applyCustomer: Applier = (tx, change) =>
  withDeletes(
    change,
    toCustomerRow,
    (row) => warehouse.upsertCustomer(tx, row, change.lsn, change.deleted),
    () => warehouse.flagDeleted(tx, "dim_customer", change.row.id("customer_id"), change.lsn),
  );

const applyAccount: Applier = (tx, change) =>
  withDeletes(
    change,
    toAccountRow,
    async (row) => {
      const account = await warehouse.upsertAccount(tx, row, change.lsn, change.deleted);
      if (account) await warehouse.assignUnassignedFacts(tx, row.accountId, row.branchId);
      // The balance history keeps its own order per day: an older change may still be the
      // latest of an earlier day.
      const balance = change.deleted ? false : await warehouse.upsertAccountBalance(tx, row, change.lsn);
      return account || balance;
    },
    () => warehouse.flagDeleted(tx, "dim_account", change.row.id("account_id"), change.lsn),
  );

const applyTransaction: Applier = (tx, change, context) =>
  withDeletes(
    change,
    toTransactionFact,
    async (fact) => {
      const stored = await warehouse.findStoredFact(tx, "fact_transactions", fact.transactionId);
      if (stored && stored.lsn > change.lsn) return false;
      let branchId =
        stored && stored.branchId !== 0
          ? stored.branchId
          : await warehouse.findAccountBranch(tx, fact.accountId);
      if (branchId === undefined) {
        if (!change.deleted && context.waitForAccount()) throw new AccountNotLoadedError(fact.accountId);
        branchId = 0;
      }
      return warehouse.upsertTransactionFact(tx, fact, branchId, change.lsn, change.deleted);
    },
    () => warehouse.flagDeleted(tx, "fact_transactions", change.row.id("transaction_id"), change.lsn),
  );

// Payments do not wait for their account: nothing reports on their branch yet, and the account's
// arrival moves them off Unassigned like transactions.
const applyPayment: Applier = (tx, change) =>
  withDeletes(
    change,
    toPaymentFact,
    async (fact) => {
      const stored = await warehouse.findStoredFact(tx, "fact_payments", fact.paymentId);
      if (stored && stored.lsn > change.lsn) return false;
      const branchId =
        stored && stored.branchId !== 0
          ? stored.branchId
          : ((await warehouse.findAccountBranch(tx, fact.accountId)) ?? 0);
      return warehouse.upsertPaymentFact(tx, fact, branchId, change.lsn, change.deleted);
    },
    () => warehouse.flagDeleted(tx, "fact_payments", change.row.id("payment_id"), change.lsn),
  );

const applyLoanApplication: Applier = (tx, change) =>
  withDeletes(
    change,
    toLoanApplicationRow,
    (row) => warehouse.upsertLoanApplication(tx, row, change.lsn, change.deleted),
    () => warehouse.flagDeleted(tx, "dim_loan_application", change.row.id("application_id"), change.lsn),
  );

const applyLoan: Applier = (tx, change) =>
  withDeletes(
    change,
    toLoanRow,
    async (row) => {
      const loan = await warehouse.upsertLoan(tx, row, change.lsn, change.deleted);
      const balance = await warehouse.upsertLoanBalance(tx, row, change.lsn, change.deleted);
      return loan || balance;
    },
    () => warehouse.flagDeleted(tx, "dim_loan", change.row.id("loan_id"), change.lsn),
  );

const applyLoanPayment: Applier = (tx, change) =>
  withDeletes(
    change,
    toLoanPaymentRow,
    (row) => warehouse.upsertLoanPayment(tx, row, change.lsn, change.deleted),
    () => warehouse.flagDeleted(tx, "fact_loan_payments", change.row.id("payment_id"), change.lsn),
  );

/** The applier of each topic, and the source table its events come from. */
export const changeAppliers: Record<string, { table: string; apply: Applier }> = {
  [cdcTopics.branches]: { table: "branches", apply: applyBranch },
  [cdcTopics.customers]: { table: "customers", apply: applyCustomer },
  [cdcTopics.accounts]: { table: "accounts", apply: applyAccount },
  [cdcTopics.transactions]: { table: "transactions", apply: applyTransaction },
  [cdcTopics.payments]: { table: "payments", apply: applyPayment },
  [cdcTopics.loanApplications]: { table: "loan_applications", apply: applyLoanApplication },
  [cdcTopics.loanAccounts]: { table: "loan_accounts", apply: applyLoan },
  [cdcTopics.loanPayments]: { table: "loan_payments", apply: applyLoanPayment },
};
