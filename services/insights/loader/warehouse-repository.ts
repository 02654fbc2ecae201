// SQL of the loader: idempotent, LSN-ordered upserts of warehouse rows (upsertIfNotOlder). Every
// upsert changes a row only when the incoming change's LSN is not older than the one stored, so a
// redelivered event rewrites the same values and an older one changes nothing. Each function
// returns whether it changed anything.
import type { FragmentSqlToken, QuerySqlToken, ValueExpression } from "slonik";
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

/** Column values of one warehouse row, by column name. */
type Columns = Record<string, ValueExpression>;

/**
 * Inserts a row, or updates the stored one with the same key, but only when the change is not
 * older than what is stored (its source_lsn): a redelivered change rewrites the same values and an
 * older one changes nothing. `keep` names columns whose stored value an update may keep (a SQL
 * expression over the table and EXCLUDED). Returns whether a row changed.
 */
function upsertIfNotOlder(
  db: CommonQueryMethods,
  table: string,
  key: string[],
  values: Columns,
  keep: Record<string, FragmentSqlToken> = {},
) {
  const columns = Object.keys(values);
  const name = (column: string) => sql.identifier([column]);
  const updates = columns
    .filter((column) => !key.includes(column))
    .map(
      (column) => sql.fragment`${name(column)} = ${keep[column] ?? sql.fragment`EXCLUDED.${name(column)}`}`,
    );
  return changed(
    db,
    sql.type(changedRow)`
      INSERT INTO ${name(table)} (${sql.join(columns.map(name), sql.fragment`, `)})
      VALUES (${sql.join(
        columns.map((column) => values[column]!),
        sql.fragment`, `,
      )})
      ON CONFLICT (${sql.join(key.map(name), sql.fragment`, `)}) DO UPDATE SET
        ${sql.join(updates, sql.fragment`, `)}, loaded_at = NOW()
      WHERE ${sql.identifier([table, "source_lsn"])} <= EXCLUDED.source_lsn
      RETURNING true AS changed
    `,
  );
}

/** Upserts a branch. */
export function upsertBranch(db: CommonQueryMethods, row: BranchRow, lsn: bigint, deleted: boolean) {
  return upsertIfNotOlder(db, "dim_branch", ["branch_id"], {
    branch_id: row.branchId,
    branch_name: row.branchName,
    region: row.region,
    is_deleted: deleted,
    source_lsn: lsn,
  });
}

/** Upserts a customer. */
export function upsertCustomer(db: CommonQueryMethods, row: CustomerRow, lsn: bigint, deleted: boolean) {
  return upsertIfNotOlder(db, "dim_customer", ["customer_id"], {
    customer_id: row.customerId,
    created_at: row.createdAt,
    created_date: row.createdDate,
    is_deleted: deleted,
    source_lsn: lsn,
  });
}

/** Upserts an account into dim_account. */
export function upsertAccount(db: CommonQueryMethods, row: AccountRow, lsn: bigint, deleted: boolean) {
  return upsertIfNotOlder(db, "dim_account", ["account_id"], {
    account_id: row.accountId,
    customer_id: row.customerId,
    account_type: row.accountType,
    currency: row.currency,
    branch_id: row.branchId,
    status: row.status,
    opened_at: row.openedAt,
    opened_year: row.openedYear,
    closed_at: row.closedAt,
    balance: row.balance,
    is_deleted: deleted,
    source_lsn: lsn,
  });
}

/** Records the account's latest balance of the day in fact_account_balance. */
export function upsertAccountBalance(db: CommonQueryMethods, row: AccountRow, lsn: bigint) {
  return upsertIfNotOlder(db, "fact_account_balance", ["account_id", "date_id"], {
    account_id: row.accountId,
    date_id: row.balanceDay,
    balance: row.balance,
    currency: row.currency,
    as_of: row.balanceAsOf,
    source_lsn: lsn,
  });
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

/** The day-partitioned fact tables and their key column. */
const factKeys = { fact_transactions: "transaction_id", fact_payments: "payment_id" } as const;
type FactTable = keyof typeof factKeys;

/** The stored state of a fact, if it was loaded before (on any day). */
export async function findStoredFact(
  db: CommonQueryMethods,
  table: FactTable,
  id: bigint,
): Promise<StoredFact | undefined> {
  const row = await db.maybeOne(
    sql.type(storedFactRow)`
      SELECT source_lsn AS lsn, branch_id FROM ${sql.identifier([table])}
      WHERE ${sql.identifier([factKeys[table]])} = ${id} ORDER BY source_lsn DESC LIMIT 1
    `,
  );
  return row ? { lsn: row.lsn, branchId: row.branch_id } : undefined;
}

/**
 * Removes a fact filed under another day than the change's (its day changed), so that each fact
 * has one row; only when the stored row is not newer than the change.
 */
async function removeFactOfOtherDays(
  db: CommonQueryMethods,
  table: FactTable,
  id: bigint,
  day: string,
  lsn: bigint,
) {
  await db.query(sql.unsafe`
    DELETE FROM ${sql.identifier([table])}
    WHERE ${sql.identifier([factKeys[table]])} = ${id} AND date_id <> ${day}::date AND source_lsn <= ${lsn}
  `);
}

/**
 * Upserts a transaction fact under its day. Call it only when no newer change of the transaction
 * is stored (findStoredFact); a fact filed under another day (its created_at changed) is
 * removed first, so each transaction has one row. A fact keeps the branch it was first loaded to
 * unless that was Unassigned.
 */
export function upsertTransactionFact(
  db: CommonQueryMethods,
  row: TransactionFactRow,
  branchId: number,
  lsn: bigint,
  deleted: boolean,
) {
  return upsertDayFact(db, "fact_transactions", row.transactionId, row.dateId, lsn, {
    account_id: row.accountId,
    related_account_id: row.relatedAccountId,
    branch_id: branchId,
    amount: row.amount,
    currency: row.currency,
    transaction_type: row.transactionType,
    status: row.status,
    created_at: row.createdAt,
    completed_at: row.completedAt,
    is_deleted: deleted,
  });
}

/** Upserts a payment fact under its day, like upsertTransactionFact. */
export function upsertPaymentFact(
  db: CommonQueryMethods,
  row: PaymentFactRow,
  branchId: number,
  lsn: bigint,
  deleted: boolean,
) {
  return upsertDayFact(db, "fact_payments", row.paymentId, row.dateId, lsn, {
    account_id: row.accountId,
    branch_id: branchId,
    amount: row.amount,
    currency: row.currency,
    payment_method: row.paymentMethod,
    status: row.status,
    initiated_at: row.initiatedAt,
    completed_at: row.completedAt,
    is_deleted: deleted,
  });
}

/**
 * Upserts a fact under its day: first removes the fact's row of another day (its day changed),
 * then inserts or updates this day's; the fact keeps its branch unless that was Unassigned.
 */
async function upsertDayFact(
  db: CommonQueryMethods,
  table: FactTable,
  id: bigint,
  day: string,
  lsn: bigint,
  values: Columns,
) {
  await removeFactOfOtherDays(db, table, id, day, lsn);
  const key = factKeys[table];
  return upsertIfNotOlder(
    db,
    table,
    [key, "date_id"],
    { [key]: id, date_id: day, ...values, source_lsn: lsn },
    { branch_id: keptBranch(table) },
  );
}

/** A fact keeps the branch it was first loaded to, unless that was Unassigned (0). */
function keptBranch(table: FactTable) {
  const stored = sql.identifier([table, "branch_id"]);
  return sql.fragment`CASE WHEN ${stored} = 0 THEN EXCLUDED.branch_id ELSE ${stored} END`;
}

/** Upserts a loan application. */
export function upsertLoanApplication(
  db: CommonQueryMethods,
  row: LoanApplicationRow,
  lsn: bigint,
  deleted: boolean,
) {
  return upsertIfNotOlder(db, "dim_loan_application", ["application_id"], {
    application_id: row.applicationId,
    customer_id: row.customerId,
    amount_requested: row.amountRequested,
    currency: row.currency,
    status: row.status,
    submitted_at: row.submittedAt,
    reviewed_at: row.reviewedAt,
    decided_date: row.decidedDate,
    is_deleted: deleted,
    source_lsn: lsn,
  });
}

/** Upserts a loan into dim_loan. */
export function upsertLoan(db: CommonQueryMethods, row: LoanRow, lsn: bigint, deleted: boolean) {
  return upsertIfNotOlder(db, "dim_loan", ["loan_id"], {
    loan_id: row.loanId,
    application_id: row.applicationId,
    customer_id: row.customerId,
    principal_amount: row.principalAmount,
    outstanding_balance: row.outstandingBalance,
    currency: row.currency,
    start_date: row.startDate,
    end_date: row.endDate,
    status: row.status,
    created_at: row.createdAt,
    is_deleted: deleted,
    source_lsn: lsn,
  });
}

/** Records the loan's latest outstanding balance of the day in fact_loan_balance. */
export function upsertLoanBalance(db: CommonQueryMethods, row: LoanRow, lsn: bigint, deleted: boolean) {
  // A deleted loan no longer owes anything from that day on.
  return upsertIfNotOlder(db, "fact_loan_balance", ["loan_id", "date_id"], {
    loan_id: row.loanId,
    date_id: row.balanceDay,
    outstanding_balance: deleted ? "0.00" : row.outstandingBalance,
    currency: row.currency,
    status: deleted ? "CLOSED" : row.status,
    source_lsn: lsn,
  });
}

/** Upserts a loan repayment. */
export function upsertLoanPayment(
  db: CommonQueryMethods,
  row: LoanPaymentRow,
  lsn: bigint,
  deleted: boolean,
) {
  return upsertIfNotOlder(db, "fact_loan_payments", ["payment_id"], {
    payment_id: row.paymentId,
    loan_id: row.loanId,
    due_date: row.dueDate,
    payment_amount: row.paymentAmount,
    paid_amount: row.paidAmount,
    paid_date: row.paidDate,
    status: row.status,
    is_deleted: deleted,
    source_lsn: lsn,
  });
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
