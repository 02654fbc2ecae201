// SQL of the loader: idempotent, LSN-ordered upserts of warehouse rows. Every upsert changes a
// row only when the incoming change's LSN is not older than the one stored, so a redelivered
// event rewrites the same values and an older one changes nothing. Each function returns whether
// it changed anything.
import type { QuerySqlToken } from "slonik";
import { z } from "zod";
import { sql, type CommonQueryMethods } from "../../runtime/database.js";
import type {
  AccountRow,
  BranchRow,
  CustomerRow,
  LoanApplicationRow,
  LoanPaymentRow,
  LoanRow,
  PaymentFactRow,
  TransactionFactRow,
} from "./warehouse-rows.js";

const changedRow = z.object({ changed: z.boolean() });

async function changed(db: CommonQueryMethods, query: QuerySqlToken<typeof changedRow>) {
  return (await db.maybeOne(query)) !== null;
}

/** Upserts a branch. */
export function upsertBranch(db: CommonQueryMethods, row: BranchRow, lsn: bigint, deleted: boolean) {
  return changed(
    db,
    sql.type(changedRow)`
      INSERT INTO dim_branch (branch_id, branch_name, region, is_deleted, source_lsn)
      VALUES (${row.branchId}, ${row.branchName}, ${row.region}, ${deleted}, ${lsn})
      ON CONFLICT (branch_id) DO UPDATE SET
        branch_name = EXCLUDED.branch_name, region = EXCLUDED.region, is_deleted = EXCLUDED.is_deleted,
        source_lsn = EXCLUDED.source_lsn, loaded_at = NOW()
      WHERE dim_branch.source_lsn <= EXCLUDED.source_lsn
      RETURNING true AS changed
    `,
  );
}

/** Upserts a customer. */
export function upsertCustomer(db: CommonQueryMethods, row: CustomerRow, lsn: bigint, deleted: boolean) {
  return changed(
    db,
    sql.type(changedRow)`
      INSERT INTO dim_customer (customer_id, created_at, created_date, is_deleted, source_lsn)
      VALUES (${row.customerId}, ${row.createdAt}::timestamptz, ${row.createdDate}::date, ${deleted}, ${lsn})
      ON CONFLICT (customer_id) DO UPDATE SET
        created_at = EXCLUDED.created_at, created_date = EXCLUDED.created_date,
        is_deleted = EXCLUDED.is_deleted, source_lsn = EXCLUDED.source_lsn, loaded_at = NOW()
      WHERE dim_customer.source_lsn <= EXCLUDED.source_lsn
      RETURNING true AS changed
    `,
  );
}

/** Upserts an account into dim_account. */
export function upsertAccount(db: CommonQueryMethods, row: AccountRow, lsn: bigint, deleted: boolean) {
  return changed(
    db,
    sql.type(changedRow)`
      INSERT INTO dim_account (account_id, customer_id, account_type, currency, branch_id, status, opened_at,
                               opened_year, closed_at, balance, is_deleted, source_lsn)
      VALUES (${row.accountId}, ${row.customerId}, ${row.accountType}, ${row.currency}, ${row.branchId},
              ${row.status}, ${row.openedAt}::timestamptz, ${row.openedYear}, ${row.closedAt}::timestamptz,
              ${row.balance}::numeric, ${deleted}, ${lsn})
      ON CONFLICT (account_id) DO UPDATE SET
        customer_id = EXCLUDED.customer_id, account_type = EXCLUDED.account_type, currency = EXCLUDED.currency,
        branch_id = EXCLUDED.branch_id, status = EXCLUDED.status, opened_at = EXCLUDED.opened_at,
        opened_year = EXCLUDED.opened_year, closed_at = EXCLUDED.closed_at, balance = EXCLUDED.balance,
        is_deleted = EXCLUDED.is_deleted, source_lsn = EXCLUDED.source_lsn, loaded_at = NOW()
      WHERE dim_account.source_lsn <= EXCLUDED.source_lsn
      RETURNING true AS changed
    `,
  );
}

/** Records the account's latest balance of the day in fact_account_balance. */
export function upsertAccountBalance(db: CommonQueryMethods, row: AccountRow, lsn: bigint) {
  return changed(
    db,
    sql.type(changedRow)`
      INSERT INTO fact_account_balance (account_id, date_id, balance, currency, as_of, source_lsn)
      VALUES (${row.accountId}, ${row.balanceDay}::date, ${row.balance}::numeric, ${row.currency},
              ${row.balanceAsOf}::timestamptz, ${lsn})
      ON CONFLICT (account_id, date_id) DO UPDATE SET
        balance = EXCLUDED.balance, currency = EXCLUDED.currency, as_of = EXCLUDED.as_of,
        source_lsn = EXCLUDED.source_lsn, loaded_at = NOW()
      WHERE fact_account_balance.source_lsn <= EXCLUDED.source_lsn
      RETURNING true AS changed
    `,
  );
}

/**
 * Moves the account's facts that were loaded to the Unassigned branch (0), because the account had
 * not arrived yet, to the account's branch. Facts already on a branch keep it.
 */
export async function assignUnassignedFacts(db: CommonQueryMethods, accountId: bigint, branchId: number) {
  if (branchId === 0) return 0;
  const transactions = await db.query(sql.unsafe`
    UPDATE fact_transactions SET branch_id = ${branchId}, loaded_at = NOW()
    WHERE account_id = ${accountId} AND branch_id = 0
  `);
  const payments = await db.query(sql.unsafe`
    UPDATE fact_payments SET branch_id = ${branchId}, loaded_at = NOW()
    WHERE account_id = ${accountId} AND branch_id = 0
  `);
  return transactions.rowCount + payments.rowCount;
}

/** The branch of a loaded account, or undefined when the account has not been loaded yet. */
export async function findAccountBranch(
  db: CommonQueryMethods,
  accountId: bigint,
): Promise<number | undefined> {
  const row = await db.maybeOne(
    sql.type(
      z.object({ branch_id: z.number() }),
    )`SELECT branch_id FROM dim_account WHERE account_id = ${accountId}`,
  );
  return row?.branch_id;
}

/** What the warehouse already holds of one fact: its newest LSN and its branch. */
export interface StoredFact {
  lsn: bigint;
  branchId: number;
}

const storedFactRow = z.object({ lsn: z.bigint(), branch_id: z.number() });

/** The stored state of a transaction fact, if it was loaded before (on any day). */
export async function findTransactionFact(db: CommonQueryMethods, transactionId: bigint) {
  const row = await db.maybeOne(
    sql.type(storedFactRow)`
      SELECT source_lsn AS lsn, branch_id FROM fact_transactions
      WHERE transaction_id = ${transactionId} ORDER BY source_lsn DESC LIMIT 1
    `,
  );
  return row ? ({ lsn: row.lsn, branchId: row.branch_id } satisfies StoredFact) : undefined;
}

/**
 * Upserts a transaction fact under its day. Call it only when no newer change of the transaction
 * is stored (findTransactionFact); a fact filed under another day (its created_at changed) is
 * removed first, so each transaction has one row. A fact keeps the branch it was first loaded to
 * unless that was Unassigned.
 */
export async function upsertTransactionFact(
  db: CommonQueryMethods,
  row: TransactionFactRow,
  branchId: number,
  lsn: bigint,
  deleted: boolean,
) {
  await db.query(sql.unsafe`
    DELETE FROM fact_transactions
    WHERE transaction_id = ${row.transactionId} AND date_id <> ${row.dateId}::date AND source_lsn <= ${lsn}
  `);
  return changed(
    db,
    sql.type(changedRow)`
      INSERT INTO fact_transactions (transaction_id, date_id, account_id, related_account_id, branch_id, amount,
                                     currency, transaction_type, status, created_at, completed_at, is_deleted,
                                     source_lsn)
      VALUES (${row.transactionId}, ${row.dateId}::date, ${row.accountId}, ${row.relatedAccountId}, ${branchId},
              ${row.amount}::numeric, ${row.currency}, ${row.transactionType}, ${row.status},
              ${row.createdAt}::timestamptz, ${row.completedAt}::timestamptz, ${deleted}, ${lsn})
      ON CONFLICT (transaction_id, date_id) DO UPDATE SET
        account_id = EXCLUDED.account_id, related_account_id = EXCLUDED.related_account_id,
        branch_id = CASE WHEN fact_transactions.branch_id = 0 THEN EXCLUDED.branch_id
                         ELSE fact_transactions.branch_id END,
        amount = EXCLUDED.amount, currency = EXCLUDED.currency, transaction_type = EXCLUDED.transaction_type,
        status = EXCLUDED.status, created_at = EXCLUDED.created_at, completed_at = EXCLUDED.completed_at,
        is_deleted = EXCLUDED.is_deleted, source_lsn = EXCLUDED.source_lsn, loaded_at = NOW()
      WHERE fact_transactions.source_lsn <= EXCLUDED.source_lsn
      RETURNING true AS changed
    `,
  );
}

/** The stored state of a payment fact, if it was loaded before (on any day). */
export async function findPaymentFact(db: CommonQueryMethods, paymentId: bigint) {
  const row = await db.maybeOne(
    sql.type(storedFactRow)`
      SELECT source_lsn AS lsn, branch_id FROM fact_payments
      WHERE payment_id = ${paymentId} ORDER BY source_lsn DESC LIMIT 1
    `,
  );
  return row ? ({ lsn: row.lsn, branchId: row.branch_id } satisfies StoredFact) : undefined;
}

/** Upserts a payment fact under its day, like upsertTransactionFact. */
export async function upsertPaymentFact(
  db: CommonQueryMethods,
  row: PaymentFactRow,
  branchId: number,
  lsn: bigint,
  deleted: boolean,
) {
  await db.query(sql.unsafe`
    DELETE FROM fact_payments
    WHERE payment_id = ${row.paymentId} AND date_id <> ${row.dateId}::date AND source_lsn <= ${lsn}
  `);
  return changed(
    db,
    sql.type(changedRow)`
      INSERT INTO fact_payments (payment_id, date_id, account_id, branch_id, amount, currency, payment_method,
                                 status, initiated_at, completed_at, is_deleted, source_lsn)
      VALUES (${row.paymentId}, ${row.dateId}::date, ${row.accountId}, ${branchId}, ${row.amount}::numeric,
              ${row.currency}, ${row.paymentMethod}, ${row.status}, ${row.initiatedAt}::timestamptz,
              ${row.completedAt}::timestamptz, ${deleted}, ${lsn})
      ON CONFLICT (payment_id, date_id) DO UPDATE SET
        account_id = EXCLUDED.account_id,
        branch_id = CASE WHEN fact_payments.branch_id = 0 THEN EXCLUDED.branch_id ELSE fact_payments.branch_id END,
        amount = EXCLUDED.amount, currency = EXCLUDED.currency, payment_method = EXCLUDED.payment_method,
        status = EXCLUDED.status, initiated_at = EXCLUDED.initiated_at, completed_at = EXCLUDED.completed_at,
        is_deleted = EXCLUDED.is_deleted, source_lsn = EXCLUDED.source_lsn, loaded_at = NOW()
      WHERE fact_payments.source_lsn <= EXCLUDED.source_lsn
      RETURNING true AS changed
    `,
  );
}

/** Upserts a loan application. */
export function upsertLoanApplication(
  db: CommonQueryMethods,
  row: LoanApplicationRow,
  lsn: bigint,
  deleted: boolean,
) {
  return changed(
    db,
    sql.type(changedRow)`
      INSERT INTO dim_loan_application (application_id, customer_id, amount_requested, currency, status,
                                        submitted_at, reviewed_at, decided_date, is_deleted, source_lsn)
      VALUES (${row.applicationId}, ${row.customerId}, ${row.amountRequested}::numeric, ${row.currency},
              ${row.status}, ${row.submittedAt}::timestamptz, ${row.reviewedAt}::timestamptz,
              ${row.decidedDate}::date, ${deleted}, ${lsn})
      ON CONFLICT (application_id) DO UPDATE SET
        customer_id = EXCLUDED.customer_id, amount_requested = EXCLUDED.amount_requested,
        currency = EXCLUDED.currency, status = EXCLUDED.status, submitted_at = EXCLUDED.submitted_at,
        reviewed_at = EXCLUDED.reviewed_at, decided_date = EXCLUDED.decided_date,
        is_deleted = EXCLUDED.is_deleted, source_lsn = EXCLUDED.source_lsn, loaded_at = NOW()
      WHERE dim_loan_application.source_lsn <= EXCLUDED.source_lsn
      RETURNING true AS changed
    `,
  );
}

/** Upserts a loan into dim_loan. */
export function upsertLoan(db: CommonQueryMethods, row: LoanRow, lsn: bigint, deleted: boolean) {
  return changed(
    db,
    sql.type(changedRow)`
      INSERT INTO dim_loan (loan_id, application_id, customer_id, principal_amount, outstanding_balance, currency,
                            start_date, end_date, status, created_at, is_deleted, source_lsn)
      VALUES (${row.loanId}, ${row.applicationId}, ${row.customerId}, ${row.principalAmount}::numeric,
              ${row.outstandingBalance}::numeric, ${row.currency}, ${row.startDate}::date, ${row.endDate}::date,
              ${row.status}, ${row.createdAt}::timestamptz, ${deleted}, ${lsn})
      ON CONFLICT (loan_id) DO UPDATE SET
        application_id = EXCLUDED.application_id, customer_id = EXCLUDED.customer_id,
        principal_amount = EXCLUDED.principal_amount, outstanding_balance = EXCLUDED.outstanding_balance,
        currency = EXCLUDED.currency, start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date,
        status = EXCLUDED.status, created_at = EXCLUDED.created_at, is_deleted = EXCLUDED.is_deleted,
        source_lsn = EXCLUDED.source_lsn, loaded_at = NOW()
      WHERE dim_loan.source_lsn <= EXCLUDED.source_lsn
      RETURNING true AS changed
    `,
  );
}

/** Records the loan's latest outstanding balance of the day in fact_loan_balance. */
export function upsertLoanBalance(db: CommonQueryMethods, row: LoanRow, lsn: bigint, deleted: boolean) {
  // A deleted loan no longer owes anything from that day on.
  const status = deleted ? "CLOSED" : row.status;
  const outstanding = deleted ? "0.00" : row.outstandingBalance;
  return changed(
    db,
    sql.type(changedRow)`
      INSERT INTO fact_loan_balance (loan_id, date_id, outstanding_balance, currency, status, source_lsn)
      VALUES (${row.loanId}, ${row.balanceDay}::date, ${outstanding}::numeric, ${row.currency}, ${status}, ${lsn})
      ON CONFLICT (loan_id, date_id) DO UPDATE SET
        outstanding_balance = EXCLUDED.outstanding_balance, currency = EXCLUDED.currency,
        status = EXCLUDED.status, source_lsn = EXCLUDED.source_lsn, loaded_at = NOW()
      WHERE fact_loan_balance.source_lsn <= EXCLUDED.source_lsn
      RETURNING true AS changed
    `,
  );
}

/** Upserts a loan repayment. */
export function upsertLoanPayment(
  db: CommonQueryMethods,
  row: LoanPaymentRow,
  lsn: bigint,
  deleted: boolean,
) {
  return changed(
    db,
    sql.type(changedRow)`
      INSERT INTO fact_loan_payments (payment_id, loan_id, due_date, payment_amount, paid_amount, paid_date,
                                      status, is_deleted, source_lsn)
      VALUES (${row.paymentId}, ${row.loanId}, ${row.dueDate}::date, ${row.paymentAmount}::numeric,
              ${row.paidAmount}::numeric, ${row.paidDate}::date, ${row.status}, ${deleted}, ${lsn})
      ON CONFLICT (payment_id) DO UPDATE SET
        loan_id = EXCLUDED.loan_id, due_date = EXCLUDED.due_date, payment_amount = EXCLUDED.payment_amount,
        paid_amount = EXCLUDED.paid_amount, paid_date = EXCLUDED.paid_date, status = EXCLUDED.status,
        is_deleted = EXCLUDED.is_deleted, source_lsn = EXCLUDED.source_lsn, loaded_at = NOW()
      WHERE fact_loan_payments.source_lsn <= EXCLUDED.source_lsn
      RETURNING true AS changed
    `,
  );
}

/** The tables whose rows a delete event carrying only the key can flag, and their key column. */
export const deletableTables = {
  dim_branch: "branch_id",
  dim_customer: "customer_id",
  dim_account: "account_id",
  fact_transactions: "transaction_id",
  fact_payments: "payment_id",
  dim_loan_application: "application_id",
  dim_loan: "loan_id",
  fact_loan_payments: "payment_id",
} as const;

/**
 * Flags a row as deleted when the delete event carries only the key (the source table's replica
 * identity is the default), ordered by LSN like every other change.
 */
export async function flagDeleted(
  db: CommonQueryMethods,
  table: keyof typeof deletableTables,
  key: bigint | number,
  lsn: bigint,
) {
  const result = await db.query(sql.unsafe`
    UPDATE ${sql.identifier([table])} SET is_deleted = true, source_lsn = ${lsn}, loaded_at = NOW()
    WHERE ${sql.identifier([deletableTables[table]])} = ${key} AND source_lsn <= ${lsn}
  `);
  return result.rowCount > 0;
}

/** Advances the loader's bookkeeping of a Kafka partition, in the event's transaction. */
export async function recordOffset(
  db: CommonQueryMethods,
  position: {
    consumer: string;
    topic: string;
    partition: number;
    offset: string;
    lsn?: bigint;
    sourceTs?: Date;
  },
) {
  await db.query(sql.unsafe`
    INSERT INTO cdc_offsets (consumer, topic, partition, last_offset, last_lsn, last_source_ts, messages)
    VALUES (${position.consumer}, ${position.topic}, ${position.partition}, ${position.offset}::bigint,
            ${position.lsn ?? null}, ${position.sourceTs?.toISOString() ?? null}::timestamptz, 1)
    ON CONFLICT (consumer, topic, partition) DO UPDATE SET
      last_offset = GREATEST(cdc_offsets.last_offset, EXCLUDED.last_offset),
      last_lsn = GREATEST(cdc_offsets.last_lsn, EXCLUDED.last_lsn),
      last_source_ts = GREATEST(cdc_offsets.last_source_ts, EXCLUDED.last_source_ts),
      messages = cdc_offsets.messages + 1,
      updated_at = NOW()
  `);
}
