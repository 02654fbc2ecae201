// SQL of the loader: each function writes one table for a whole batch, with one statement over
// arrays (unnest), and returns what it changed. Every upsert changes a row only when the change is
// newer than the one stored (its source_lsn): a redelivered change, or an older one arriving late,
// changes nothing, so an event applies exactly once however often it comes.
import type { FragmentSqlToken, IdentifierSqlToken } from "slonik";
import { z } from "zod";
import { sql, type CommonQueryMethods } from "../../runtime/database.js";
import type { KeyDelete, RowChange } from "./change-plan.js";
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

/** A column of an upsert: its name, its PostgreSQL type, and its value in a change. */
interface Column<Row> {
  name: string;
  type: string;
  value(change: RowChange<Row>): string | number | bigint | boolean | null;
}

const name = (column: string): IdentifierSqlToken => sql.identifier([column]);

function column<Row>(
  columnName: string,
  type: string,
  value: (change: RowChange<Row>) => string | number | bigint | boolean | null,
): Column<Row> {
  return { name: columnName, type, value };
}

const isDeleted = <Row>() => column<Row>("is_deleted", "bool", (c) => c.deleted);
const sourceLsn = <Row>() => column<Row>("source_lsn", "int8", (c) => c.lsn);

/**
 * Inserts the rows, or updates stored rows with the same key whose source_lsn is older; `keep`
 * names columns whose stored value an update may keep (a SQL expression over the table and
 * EXCLUDED), `from` replaces the plain `SELECT * FROM unnest(…)` (to join what a column needs).
 * Returns the rows changed, with `returning`'s columns.
 */
async function upsertAll<Row, Returned extends z.ZodTypeAny>(
  db: CommonQueryMethods,
  options: {
    table: string;
    key: string[];
    columns: Column<Row>[];
    changes: readonly RowChange<Row>[];
    returning: Returned;
    returningSql: FragmentSqlToken;
    keep?: Record<string, FragmentSqlToken>;
    select?: (incoming: FragmentSqlToken) => FragmentSqlToken;
    extraColumns?: string[];
  },
): Promise<readonly z.infer<Returned>[]> {
  const { table, key, columns, changes } = options;
  if (changes.length === 0) return [];
  const tuples = changes.map((change) => columns.map((c) => c.value(change)));
  const incoming = sql.fragment`${sql.unnest(
    tuples,
    columns.map((c) => c.type),
  )} AS i(${sql.join(
    columns.map((c) => name(c.name)),
    sql.fragment`, `,
  )})`;
  const names = [...columns.map((c) => c.name), ...(options.extraColumns ?? [])];
  const updates = names
    .filter((c) => !key.includes(c))
    .map((c) => sql.fragment`${name(c)} = ${options.keep?.[c] ?? sql.fragment`EXCLUDED.${name(c)}`}`);
  const select = options.select ? options.select(incoming) : sql.fragment`SELECT * FROM ${incoming}`;
  return db.any(sql.type(options.returning)`
    INSERT INTO ${name(table)} (${sql.join(names.map(name), sql.fragment`, `)})
    ${select}
    ON CONFLICT (${sql.join(key.map(name), sql.fragment`, `)}) DO UPDATE SET
      ${sql.join(updates, sql.fragment`, `)}, loaded_at = NOW()
    WHERE ${sql.identifier([table, "source_lsn"])} < EXCLUDED.source_lsn
    RETURNING ${options.returningSql}
  `);
}

const one = z.object({ changed: z.boolean() });
const changedSql = sql.fragment`true AS changed`;

/** Upserts branches. */
export async function upsertBranches(db: CommonQueryMethods, changes: readonly RowChange<BranchRow>[]) {
  const rows = await upsertAll<BranchRow, typeof one>(db, {
    table: "dim_branch",
    key: ["branch_id"],
    changes,
    columns: [
      column("branch_id", "int4", (c) => c.row.branchId),
      column("branch_name", "text", (c) => c.row.branchName),
      column("region", "text", (c) => c.row.region),
      isDeleted(),
      sourceLsn(),
    ],
    returning: one,
    returningSql: changedSql,
  });
  return rows.length;
}

/** Upserts customers. */
export async function upsertCustomers(db: CommonQueryMethods, changes: readonly RowChange<CustomerRow>[]) {
  const rows = await upsertAll<CustomerRow, typeof one>(db, {
    table: "dim_customer",
    key: ["customer_id"],
    changes,
    columns: [
      column("customer_id", "int8", (c) => c.row.customerId),
      column("created_at", "timestamptz", (c) => c.row.createdAt),
      column("created_date", "date", (c) => c.row.createdDate),
      isDeleted(),
      sourceLsn(),
    ],
    returning: one,
    returningSql: changedSql,
  });
  return rows.length;
}

const changedAccount = z.object({ account_id: z.bigint(), branch_id: z.number() });

/** Upserts accounts into dim_account; returns the accounts changed, with their branch. */
export function upsertAccounts(db: CommonQueryMethods, changes: readonly RowChange<AccountRow>[]) {
  return upsertAll<AccountRow, typeof changedAccount>(db, {
    table: "dim_account",
    key: ["account_id"],
    changes,
    columns: [
      column("account_id", "int8", (c) => c.row.accountId),
      column("customer_id", "int8", (c) => c.row.customerId),
      column("account_type", "text", (c) => c.row.accountType),
      column("currency", "text", (c) => c.row.currency),
      column("branch_id", "int4", (c) => c.row.branchId),
      column("status", "text", (c) => c.row.status),
      column("opened_at", "timestamptz", (c) => c.row.openedAt),
      column("opened_year", "int2", (c) => c.row.openedYear),
      column("closed_at", "timestamptz", (c) => c.row.closedAt),
      column("balance", "numeric", (c) => c.row.balance),
      isDeleted(),
      sourceLsn(),
    ],
    returning: changedAccount,
    returningSql: sql.fragment`account_id, branch_id`,
  });
}

/** The branch of each of the accounts the warehouse holds, by id. */
export async function findAccountBranches(db: CommonQueryMethods, accountIds: readonly bigint[]) {
  if (accountIds.length === 0) return new Map<bigint, number>();
  const rows = await db.any(sql.type(z.object({ account_id: z.bigint(), branch_id: z.number() }))`
    SELECT account_id, branch_id FROM dim_account WHERE account_id = ANY(${sql.array([...accountIds], "int8")})
  `);
  return new Map(rows.map((r) => [r.account_id, r.branch_id]));
}

/** Records each account's latest balance of the day in fact_account_balance. */
export async function upsertAccountBalances(
  db: CommonQueryMethods,
  changes: readonly RowChange<AccountRow>[],
) {
  const rows = await upsertAll<AccountRow, typeof one>(db, {
    table: "fact_account_balance",
    key: ["account_id", "date_id"],
    changes,
    columns: [
      column("account_id", "int8", (c) => c.row.accountId),
      column("date_id", "date", (c) => c.row.balanceDay),
      column("balance", "numeric", (c) => c.row.balance),
      column("currency", "text", (c) => c.row.currency),
      column("as_of", "timestamptz", (c) => c.row.balanceAsOf),
      sourceLsn(),
    ],
    returning: one,
    returningSql: changedSql,
  });
  return rows.length;
}

/**
 * Takes the transaction-scoped advisory lock of each account, in id order (so two batches never
 * wait on each other in a cycle). The loader holds it while it decides that facts of an account
 * go to the Unassigned branch, and while an account's arrival moves them off it: one of the two
 * always sees the other's committed work.
 */
export async function lockAccounts(db: CommonQueryMethods, accountIds: readonly bigint[]) {
  if (accountIds.length === 0) return;
  const sorted = [...new Set(accountIds)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  await db.query(sql.unsafe`
    SELECT pg_advisory_xact_lock(id) FROM (SELECT unnest(${sql.array(sorted, "int8")}) AS id) AS ordered
  `);
}

/** Accounts among these that the warehouse does not hold with a branch (missing, or branch 0). */
export async function findAccountsWithoutBranch(db: CommonQueryMethods, accountIds: readonly bigint[]) {
  if (accountIds.length === 0) return [];
  return db.anyFirst(sql.type(z.object({ id: z.bigint() }))`
    SELECT i.id FROM unnest(${sql.array([...new Set(accountIds)], "int8")}) AS i(id)
    WHERE NOT EXISTS (SELECT 1 FROM dim_account a WHERE a.account_id = i.id AND a.branch_id <> 0)
    ORDER BY i.id
  `);
}

/** Records that facts of these accounts wait on the Unassigned branch for the account's branch. */
export async function parkAccounts(db: CommonQueryMethods, accountIds: readonly bigint[]) {
  if (accountIds.length === 0) return;
  await db.query(sql.unsafe`
    INSERT INTO parked_accounts (account_id)
    SELECT DISTINCT id FROM unnest(${sql.array([...accountIds], "int8")}) AS id ORDER BY id
    ON CONFLICT DO NOTHING
  `);
}

/** Removes the accounts from the parked ones; returns those that were parked. */
export async function unparkAccounts(db: CommonQueryMethods, accountIds: readonly bigint[]) {
  if (accountIds.length === 0) return [];
  return db.anyFirst(sql.type(z.object({ account_id: z.bigint() }))`
    DELETE FROM parked_accounts WHERE account_id = ANY(${sql.array([...accountIds], "int8")})
    RETURNING account_id
  `);
}

/**
 * Moves the facts of each account that sit on the Unassigned branch (0) to the account's branch;
 * facts already on a branch keep it. Returns the days of the transaction facts moved.
 */
export async function assignParkedFacts(
  db: CommonQueryMethods,
  accounts: readonly { accountId: bigint; branchId: number }[],
): Promise<string[]> {
  if (accounts.length === 0) return [];
  const incoming = sql.fragment`${sql.unnest(
    accounts.map((a) => [a.accountId, a.branchId]),
    ["int8", "int4"],
  )} AS v(account_id, branch_id)`;
  const days = await db.anyFirst(sql.type(z.object({ day: z.string() }))`
    UPDATE fact_transactions f SET branch_id = v.branch_id, loaded_at = NOW()
    FROM ${incoming}
    WHERE f.account_id = v.account_id AND f.branch_id = 0
    RETURNING f.date_id::text AS day
  `);
  await db.query(sql.unsafe`
    UPDATE fact_payments f SET branch_id = v.branch_id, loaded_at = NOW()
    FROM ${incoming}
    WHERE f.account_id = v.account_id AND f.branch_id = 0
  `);
  return [...new Set(days)];
}

/** What an upsert of facts changed. */
export interface ChangedFact {
  id: bigint;
  day: string;
  accountId: bigint;
  branchId: number;
}

const changedFactRow = z.object({
  id: z.bigint(),
  day: z.string(),
  account_id: z.bigint(),
  branch_id: z.number(),
});

/** The day-partitioned fact tables and their key column. */
const factKeys = { fact_transactions: "transaction_id", fact_payments: "payment_id" } as const;
type FactTable = keyof typeof factKeys;

/** A fact keeps the branch it was first loaded to, unless that was Unassigned (0). */
function keptBranch(table: FactTable) {
  const stored = sql.identifier([table, "branch_id"]);
  return sql.fragment`CASE WHEN ${stored} = 0 THEN EXCLUDED.branch_id ELSE ${stored} END`;
}

/**
 * Upserts facts under their day, each on its account's branch (0, Unassigned, when the warehouse
 * does not hold the account with a branch yet; a stored fact keeps its branch unless that was 0).
 */
async function upsertFacts<Row extends { accountId: bigint }>(
  db: CommonQueryMethods,
  table: FactTable,
  changes: readonly RowChange<Row>[],
  columns: Column<Row>[],
): Promise<ChangedFact[]> {
  const key = factKeys[table];
  const names = columns.map((c) => c.name);
  const rows = await upsertAll(db, {
    table,
    key: [key, "date_id"],
    changes,
    columns,
    extraColumns: ["branch_id"],
    keep: { branch_id: keptBranch(table) },
    select: (incoming) => sql.fragment`
      SELECT ${sql.join(
        names.map((n) => sql.identifier(["i", n])),
        sql.fragment`, `,
      )}, COALESCE(a.branch_id, 0)
      FROM ${incoming}
      LEFT JOIN dim_account a ON a.account_id = i.account_id
    `,
    returning: changedFactRow,
    returningSql: sql.fragment`${name(key)} AS id, date_id::text AS day, account_id, branch_id`,
  });
  return rows.map((r) => ({ id: r.id, day: r.day, accountId: r.account_id, branchId: r.branch_id }));
}

/** The facts among these that the warehouse holds no row of on that day (each probe prunes to one partition). */
async function findFactsNewOnDay(
  db: CommonQueryMethods,
  table: FactTable,
  facts: readonly { id: bigint; day: string }[],
): Promise<Set<bigint>> {
  if (facts.length === 0) return new Set();
  const key = sql.identifier([factKeys[table]]);
  const ids = await db.anyFirst(sql.type(z.object({ id: z.bigint() }))`
    SELECT i.id FROM ${sql.unnest(
      facts.map((f) => [f.id, f.day]),
      ["int8", "date"],
    )} AS i(id, day)
    WHERE NOT EXISTS (
      SELECT 1 FROM ${sql.identifier([table])} f WHERE f.${key} = i.id AND f.date_id = i.day
    )
  `);
  return new Set(ids);
}

/**
 * A fact's day is the day it was created, which its source never changes; but should a change
 * move a fact to another day, the fact must still have one row. For facts just inserted by a
 * change that was not the fact's creation (the only way a second day can appear): the row of the
 * other day is removed when older, or the new row when the other is newer. Returns the days whose
 * facts this removed.
 */
async function settleMovedFacts(
  db: CommonQueryMethods,
  table: FactTable,
  moved: readonly { id: bigint; day: string; lsn: bigint }[],
): Promise<string[]> {
  if (moved.length === 0) return [];
  const key = sql.identifier([factKeys[table]]);
  const incoming = sql.fragment`${sql.unnest(
    moved.map((m) => [m.id, m.day, m.lsn]),
    ["int8", "date", "int8"],
  )} AS m(id, day, lsn)`;
  const older = await db.anyFirst(sql.type(z.object({ day: z.string() }))`
    DELETE FROM ${sql.identifier([table])} f USING ${incoming}
    WHERE f.${key} = m.id AND f.date_id <> m.day AND f.source_lsn < m.lsn
    RETURNING f.date_id::text AS day
  `);
  const superseded = await db.anyFirst(sql.type(z.object({ day: z.string() }))`
    DELETE FROM ${sql.identifier([table])} f USING ${incoming}
    WHERE f.${key} = m.id AND f.date_id = m.day AND EXISTS (
      SELECT 1 FROM ${sql.identifier([table])} o WHERE o.${key} = m.id AND o.date_id <> m.day AND o.source_lsn > m.lsn
    )
    RETURNING f.date_id::text AS day
  `);
  return [...older, ...superseded];
}

/** Upserts transaction facts; see upsertFacts. */
export function upsertTransactionFacts(
  db: CommonQueryMethods,
  changes: readonly RowChange<TransactionFactRow>[],
) {
  return upsertFacts(db, "fact_transactions", changes, [
    column("transaction_id", "int8", (c) => c.row.transactionId),
    column("date_id", "date", (c) => c.row.dateId),
    column("account_id", "int8", (c) => c.row.accountId),
    column("related_account_id", "int8", (c) => c.row.relatedAccountId),
    column("amount", "numeric", (c) => c.row.amount),
    column("currency", "text", (c) => c.row.currency),
    column("transaction_type", "text", (c) => c.row.transactionType),
    column("status", "text", (c) => c.row.status),
    column("created_at", "timestamptz", (c) => c.row.createdAt),
    column("completed_at", "timestamptz", (c) => c.row.completedAt),
    isDeleted(),
    sourceLsn(),
    column("source_ts", "timestamptz", (c) => c.sourceTs?.toISOString() ?? null),
  ]);
}

/** Upserts payment facts; see upsertFacts. */
export function upsertPaymentFacts(db: CommonQueryMethods, changes: readonly RowChange<PaymentFactRow>[]) {
  return upsertFacts(db, "fact_payments", changes, [
    column("payment_id", "int8", (c) => c.row.paymentId),
    column("date_id", "date", (c) => c.row.dateId),
    column("account_id", "int8", (c) => c.row.accountId),
    column("amount", "numeric", (c) => c.row.amount),
    column("currency", "text", (c) => c.row.currency),
    column("payment_method", "text", (c) => c.row.paymentMethod),
    column("status", "text", (c) => c.row.status),
    column("initiated_at", "timestamptz", (c) => c.row.initiatedAt),
    column("completed_at", "timestamptz", (c) => c.row.completedAt),
    isDeleted(),
    sourceLsn(),
    column("source_ts", "timestamptz", (c) => c.sourceTs?.toISOString() ?? null),
  ]);
}

/** Transaction facts the warehouse holds no row of on that day. */
export function findTransactionFactsNewOnDay(
  db: CommonQueryMethods,
  facts: readonly { id: bigint; day: string }[],
) {
  return findFactsNewOnDay(db, "fact_transactions", facts);
}

/** Payment facts the warehouse holds no row of on that day. */
export function findPaymentFactsNewOnDay(
  db: CommonQueryMethods,
  facts: readonly { id: bigint; day: string }[],
) {
  return findFactsNewOnDay(db, "fact_payments", facts);
}

/** For facts a change inserted on a new day; see settleMovedFacts. */
export function settleMovedTransactionFacts(
  db: CommonQueryMethods,
  moved: readonly { id: bigint; day: string; lsn: bigint }[],
) {
  return settleMovedFacts(db, "fact_transactions", moved);
}

export function settleMovedPaymentFacts(
  db: CommonQueryMethods,
  moved: readonly { id: bigint; day: string; lsn: bigint }[],
) {
  return settleMovedFacts(db, "fact_payments", moved);
}

/** Upserts loan applications. */
export async function upsertLoanApplications(
  db: CommonQueryMethods,
  changes: readonly RowChange<LoanApplicationRow>[],
) {
  const rows = await upsertAll<LoanApplicationRow, typeof one>(db, {
    table: "dim_loan_application",
    key: ["application_id"],
    changes,
    columns: [
      column("application_id", "int8", (c) => c.row.applicationId),
      column("customer_id", "int8", (c) => c.row.customerId),
      column("amount_requested", "numeric", (c) => c.row.amountRequested),
      column("currency", "text", (c) => c.row.currency),
      column("status", "text", (c) => c.row.status),
      column("submitted_at", "timestamptz", (c) => c.row.submittedAt),
      column("reviewed_at", "timestamptz", (c) => c.row.reviewedAt),
      column("decided_date", "date", (c) => c.row.decidedDate),
      isDeleted(),
      sourceLsn(),
    ],
    returning: one,
    returningSql: changedSql,
  });
  return rows.length;
}

/** Upserts loans into dim_loan. */
export async function upsertLoans(db: CommonQueryMethods, changes: readonly RowChange<LoanRow>[]) {
  const rows = await upsertAll<LoanRow, typeof one>(db, {
    table: "dim_loan",
    key: ["loan_id"],
    changes,
    columns: [
      column("loan_id", "int8", (c) => c.row.loanId),
      column("application_id", "int8", (c) => c.row.applicationId),
      column("customer_id", "int8", (c) => c.row.customerId),
      column("principal_amount", "numeric", (c) => c.row.principalAmount),
      column("outstanding_balance", "numeric", (c) => c.row.outstandingBalance),
      column("currency", "text", (c) => c.row.currency),
      column("start_date", "date", (c) => c.row.startDate),
      column("end_date", "date", (c) => c.row.endDate),
      column("status", "text", (c) => c.row.status),
      column("created_at", "timestamptz", (c) => c.row.createdAt),
      isDeleted(),
      sourceLsn(),
    ],
    returning: one,
    returningSql: changedSql,
  });
  return rows.length;
}

/** Records each loan's latest outstanding balance of the day in fact_loan_balance. */
export async function upsertLoanBalances(db: CommonQueryMethods, changes: readonly RowChange<LoanRow>[]) {
  const rows = await upsertAll<LoanRow, typeof one>(db, {
    table: "fact_loan_balance",
    key: ["loan_id", "date_id"],
    changes,
    columns: [
      column("loan_id", "int8", (c) => c.row.loanId),
      column("date_id", "date", (c) => c.row.balanceDay),
      // A deleted loan no longer owes anything from that day on.
      column("outstanding_balance", "numeric", (c) => (c.deleted ? "0.00" : c.row.outstandingBalance)),
      column("currency", "text", (c) => c.row.currency),
      column("status", "text", (c) => (c.deleted ? "CLOSED" : c.row.status)),
      sourceLsn(),
    ],
    returning: one,
    returningSql: changedSql,
  });
  return rows.length;
}

/** Upserts loan repayments. */
export async function upsertLoanPayments(
  db: CommonQueryMethods,
  changes: readonly RowChange<LoanPaymentRow>[],
) {
  const rows = await upsertAll<LoanPaymentRow, typeof one>(db, {
    table: "fact_loan_payments",
    key: ["payment_id"],
    changes,
    columns: [
      column("payment_id", "int8", (c) => c.row.paymentId),
      column("loan_id", "int8", (c) => c.row.loanId),
      column("due_date", "date", (c) => c.row.dueDate),
      column("payment_amount", "numeric", (c) => c.row.paymentAmount),
      column("paid_amount", "numeric", (c) => c.row.paidAmount),
      column("paid_date", "date", (c) => c.row.paidDate),
      column("status", "text", (c) => c.row.status),
      isDeleted(),
      sourceLsn(),
    ],
    returning: one,
    returningSql: changedSql,
  });
  return rows.length;
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
 * Flags rows deleted whose delete event carried only the key (the source table's replica
 * identity is the default), ordered by LSN like every other change. Returns the rows flagged,
 * with their day for the day-partitioned facts.
 */
export async function flagDeleted(
  db: CommonQueryMethods,
  table: keyof typeof deletableTables,
  deletes: readonly KeyDelete<bigint | number>[],
): Promise<readonly { day: string | null }[]> {
  if (deletes.length === 0) return [];
  const keyType = table === "dim_branch" ? "int4" : "int8";
  const hasDay = table === "fact_transactions" || table === "fact_payments";
  return db.any(sql.type(z.object({ day: z.string().nullable() }))`
    UPDATE ${sql.identifier([table])} t SET is_deleted = true, source_lsn = d.lsn, loaded_at = NOW()
    FROM ${sql.unnest(
      deletes.map((d) => [d.key, d.lsn]),
      [keyType, "int8"],
    )} AS d(key, lsn)
    WHERE t.${sql.identifier([deletableTables[table]])} = d.key AND t.source_lsn < d.lsn
    RETURNING ${hasDay ? sql.fragment`t.date_id::text` : sql.fragment`NULL::text`} AS day
  `);
}

/**
 * Marks days whose transaction facts changed, for the next refresh of the daily summary (one
 * marker per day and loader partition; in day order, as the refresh locks them).
 */
export async function markSummaryDays(db: CommonQueryMethods, source: string, days: Iterable<string>) {
  const sorted = [...new Set(days)].sort();
  if (sorted.length === 0) return;
  await db.query(sql.unsafe`
    INSERT INTO summary_dirty_days (date_id, source)
    SELECT day, ${source} FROM unnest(${sql.array(sorted, "date")}) AS day ORDER BY day
    ON CONFLICT (date_id, source) DO UPDATE SET version = nextval('summary_dirty_version')
  `);
}

/** The loader's bookkeeping of one Kafka partition (cdc_offsets). */
export interface PartitionPosition {
  consumer: string;
  topic: string;
  partition: number;
}

const positionRow = z.object({ last_offset: z.bigint(), last_source_ts: z.date().nullable() });

/**
 * The partition's last applied offset (-1 when none), locked until the transaction ends: the
 * batch that holds it is the only one applying this partition, and what it finds applied it skips.
 */
export async function lockPosition(db: CommonQueryMethods, position: PartitionPosition) {
  await db.query(sql.unsafe`
    INSERT INTO cdc_offsets (consumer, topic, partition, last_offset)
    VALUES (${position.consumer}, ${position.topic}, ${position.partition}, -1)
    ON CONFLICT DO NOTHING
  `);
  return db.one(sql.type(positionRow)`
    SELECT last_offset, last_source_ts FROM cdc_offsets
    WHERE consumer = ${position.consumer} AND topic = ${position.topic} AND partition = ${position.partition}
    FOR UPDATE
  `);
}

/** Advances the partition's bookkeeping, in the batch's transaction. */
export async function advancePosition(
  db: CommonQueryMethods,
  position: PartitionPosition & { offset: bigint; messages: number; lsn?: bigint; sourceTs?: Date },
) {
  await db.query(sql.unsafe`
    UPDATE cdc_offsets SET
      last_offset = GREATEST(last_offset, ${position.offset}),
      last_lsn = GREATEST(last_lsn, ${position.lsn ?? null}::bigint),
      last_source_ts = GREATEST(last_source_ts, ${position.sourceTs?.toISOString() ?? null}::timestamptz),
      messages = messages + ${position.messages},
      updated_at = NOW()
    WHERE consumer = ${position.consumer} AND topic = ${position.topic} AND partition = ${position.partition}
  `);
}

/** The applied positions of the partitions (last offset, newest source time), by "topic/partition". */
export async function findPositions(db: CommonQueryMethods, consumer: string, topics: readonly string[]) {
  const rows = await db.any(sql.type(
    z.object({
      topic: z.string(),
      partition: z.number(),
      last_offset: z.bigint(),
      last_source_ts: z.date().nullable(),
    }),
  )`
    SELECT topic, partition, last_offset, last_source_ts FROM cdc_offsets
    WHERE consumer = ${consumer} AND topic = ANY(${sql.array([...topics], "text")})
  `);
  return new Map(rows.map((r) => [`${r.topic}/${r.partition}`, r]));
}

/** How fresh a partition is, as the loader found it. */
export interface PartitionFreshness {
  topic: string;
  partition: number;
  highWatermark: bigint;
  checkedAt: Date;
  oldestUnappliedTs: Date | null;
  appliedAsOf: Date | null;
}

/** Records the partitions' freshness (rows of partitions never applied start at offset -1). */
export async function recordFreshness(
  db: CommonQueryMethods,
  consumer: string,
  partitions: readonly PartitionFreshness[],
) {
  if (partitions.length === 0) return;
  await db.query(sql.unsafe`
    INSERT INTO cdc_offsets (consumer, topic, partition, last_offset, high_watermark, checked_at,
                             oldest_unapplied_ts, applied_as_of)
    SELECT ${consumer}, p.topic, p.partition, -1, p.high, p.checked, p.oldest, p.as_of
    FROM ${sql.unnest(
      partitions.map((p) => [
        p.topic,
        p.partition,
        p.highWatermark,
        p.checkedAt.toISOString(),
        p.oldestUnappliedTs?.toISOString() ?? null,
        p.appliedAsOf?.toISOString() ?? null,
      ]),
      ["text", "int4", "int8", "timestamptz", "timestamptz", "timestamptz"],
    )} AS p(topic, partition, high, checked, oldest, as_of)
    ORDER BY p.topic, p.partition
    ON CONFLICT (consumer, topic, partition) DO UPDATE SET
      high_watermark = EXCLUDED.high_watermark,
      checked_at = EXCLUDED.checked_at,
      oldest_unapplied_ts = EXCLUDED.oldest_unapplied_ts,
      applied_as_of = EXCLUDED.applied_as_of
  `);
}

/** Forgets the bookkeeping of topics the loader no longer reads (they would freeze its as-of). */
export async function forgetOtherTopics(db: CommonQueryMethods, consumer: string, topics: readonly string[]) {
  await db.query(sql.unsafe`
    DELETE FROM cdc_offsets WHERE consumer = ${consumer} AND NOT (topic = ANY(${sql.array([...topics], "text")}))
  `);
}
