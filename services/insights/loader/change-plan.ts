// A fetched batch of one partition's change events → what it does to the warehouse, without I/O.
// Events are read and checked one by one (a malformed one is rejected, for the dead-letter topic,
// and the rest go on); then the changes of each warehouse row are reduced to the newest by LSN.
// Every change carries the row's whole state, so applying only the newest change of a row leaves
// the row exactly as applying all of them in order would: a batch writes each row once.
import { NonRetryableError } from "../../runtime/kafka-consumer.js";
import { readCdcChange, type CdcChange } from "./cdc-record.js";
import {
  toAccountRow,
  toBranchRow,
  toCustomerRow,
  toLoanApplicationRow,
  toLoanPaymentRow,
  toLoanRow,
  toPaymentFact,
  toTransactionFact,
  type AccountRow,
  type BranchRow,
  type CustomerRow,
  type LoanApplicationRow,
  type LoanPaymentRow,
  type LoanRow,
  type PaymentFactRow,
  type TransactionFactRow,
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

/** The source databases, each captured by one Debezium connector with topic prefix cdc.<database>. */
export const sourceDatabases = ["account", "transaction", "payment", "loan"] as const;

/**
 * The heartbeat topic of each connector (heartbeat.interval.ms): a message `{"ts_ms": …}` every
 * few seconds, even when its database is idle, so the loader can tell a quiet source from a
 * connector that stopped.
 */
export const heartbeatTopics = sourceDatabases.map((database) => `__debezium-heartbeat.cdc.${database}`);

/** A message of the batch: its offset and value (null for a tombstone). */
export interface PartitionMessage {
  offset: string;
  value: Buffer | null;
}

/** A message the loader can never apply, with the reason the dead-letter topic records. */
export interface RejectedMessage {
  offset: string;
  reason: string;
}

/** The newest change of one warehouse row in the batch. */
export interface RowChange<Row> {
  row: Row;
  lsn: bigint;
  deleted: boolean;
  sourceTs: Date | undefined;
  /** Whether the batch holds the row's creation (op c, or r from a snapshot). */
  created: boolean;
}

/** A delete whose event carried only the row's key (the source table's default replica identity). */
export interface KeyDelete<Key> {
  key: Key;
  lsn: bigint;
}

/** The newest change per row key: a row state, or a key-only delete. */
export class NewestChanges<Row, Key = never> {
  private readonly byKey = new Map<string, { change: RowChange<Row> | KeyDelete<Key>; created: boolean }>();

  /** Keeps the change if it is the row's newest so far (an equal LSN is the same change again). */
  offer(key: string, change: RowChange<Row> | KeyDelete<Key>, created = false): void {
    const current = this.byKey.get(key);
    if (!current || change.lsn >= current.change.lsn) {
      this.byKey.set(key, { change, created: created || (current?.created ?? false) });
    } else if (created) {
      current.created = true;
    }
  }

  get size(): number {
    return this.byKey.size;
  }

  /** The newest row states, their `created` saying whether any change of the row was a creation. */
  rows(): RowChange<Row>[] {
    return [...this.byKey.values()].flatMap(({ change, created }) =>
      "row" in change ? [{ ...change, created }] : [],
    );
  }

  /** The key-only deletes that are the newest change of their row. */
  keyDeletes(): KeyDelete<Key>[] {
    return [...this.byKey.values()].flatMap(({ change }) => ("key" in change ? [change] : []));
  }
}

/** What one batch does, by the kind of its topic. */
export type BatchWork =
  | { kind: "branches"; branches: NewestChanges<BranchRow, number> }
  | { kind: "customers"; customers: NewestChanges<CustomerRow, bigint> }
  | {
      kind: "accounts";
      accounts: NewestChanges<AccountRow, bigint>;
      /** The newest balance of each account and day (fact_account_balance). */
      balances: NewestChanges<AccountRow>;
    }
  | { kind: "transactions"; facts: NewestChanges<TransactionFactRow, bigint> }
  | { kind: "payments"; facts: NewestChanges<PaymentFactRow, bigint> }
  | { kind: "loanApplications"; applications: NewestChanges<LoanApplicationRow, bigint> }
  | {
      kind: "loans";
      loans: NewestChanges<LoanRow, bigint>;
      /** The newest outstanding balance of each loan and day (fact_loan_balance). */
      balances: NewestChanges<LoanRow>;
    }
  | { kind: "loanPayments"; payments: NewestChanges<LoanPaymentRow, bigint> }
  | { kind: "heartbeat"; newest: Date | undefined };

/** A batch's plan: the work, the rejected messages, and what the loader records of the batch. */
export interface BatchPlan {
  topic: string;
  work: BatchWork;
  rejected: RejectedMessage[];
  /** Change events read (neither tombstones nor rejected). */
  changes: number;
  tombstones: number;
  /** The newest LSN and source commit time among the changes read. */
  lastLsn: bigint | undefined;
  lastSourceTs: Date | undefined;
  /** The source commit time of every change read, for the lag the loader observes. */
  sourceTimes: Date[];
}

/** The source table, the work's kind and the reader of each topic. */
interface TopicSpec {
  table: string;
  empty(): BatchWork;
  read(work: BatchWork, change: CdcChange): void;
}

const created = (change: CdcChange) => change.op === "c" || change.op === "r";

/**
 * Reads a change with `read`; a delete whose row carries only its key becomes a key-only delete of
 * `key(change)`, and any other unreadable change is rejected (NonRetryableError).
 */
function rowOrKeyDelete<Row, Key>(
  change: CdcChange,
  read: (change: CdcChange) => Row,
  key: (change: CdcChange) => Key,
): RowChange<Row> | KeyDelete<Key> {
  try {
    const row = read(change);
    return { row, lsn: change.lsn, deleted: change.deleted, sourceTs: change.sourceTs, created: false };
  } catch (error) {
    if (change.deleted && error instanceof NonRetryableError) return { key: key(change), lsn: change.lsn };
    throw error;
  }
}

function spec<W extends BatchWork>(
  table: string,
  empty: () => W,
  read: (work: W, change: CdcChange) => void,
) {
  return { table, empty, read: read as (work: BatchWork, change: CdcChange) => void };
}

const topicSpecs: Record<string, TopicSpec> = {
  [cdcTopics.branches]: spec(
    "branches",
    () => ({ kind: "branches" as const, branches: new NewestChanges<BranchRow, number>() }),
    (work, change) => {
      const next = rowOrKeyDelete(change, toBranchRow, (c) => c.row.int32("branch_id"));
      work.branches.offer(String("row" in next ? next.row.branchId : next.key), next, created(change));
    },
  ),
  [cdcTopics.customers]: spec(
    "customers",
    () => ({ kind: "customers" as const, customers: new NewestChanges<CustomerRow, bigint>() }),
    (work, change) => {
      const next = rowOrKeyDelete(change, toCustomerRow, (c) => c.row.id("customer_id"));
      work.customers.offer(String("row" in next ? next.row.customerId : next.key), next, created(change));
    },
  ),
  [cdcTopics.accounts]: spec(
    "accounts",
    () => ({
      kind: "accounts" as const,
      accounts: new NewestChanges<AccountRow, bigint>(),
      balances: new NewestChanges<AccountRow>(),
    }),
    (work, change) => {
      const next = rowOrKeyDelete(change, toAccountRow, (c) => c.row.id("account_id"));
      if ("key" in next) {
        work.accounts.offer(String(next.key), next);
        return;
      }
      work.accounts.offer(String(next.row.accountId), next, created(change));
      // The balance history keeps its own order per day: an older change may still be the
      // latest of an earlier day. A deleted account has no balance from then on.
      if (!next.deleted) work.balances.offer(`${next.row.accountId}/${next.row.balanceDay}`, next);
    },
  ),
  [cdcTopics.transactions]: spec(
    "transactions",
    () => ({ kind: "transactions" as const, facts: new NewestChanges<TransactionFactRow, bigint>() }),
    (work, change) => {
      const next = rowOrKeyDelete(change, toTransactionFact, (c) => c.row.id("transaction_id"));
      work.facts.offer(String("row" in next ? next.row.transactionId : next.key), next, created(change));
    },
  ),
  [cdcTopics.payments]: spec(
    "payments",
    () => ({ kind: "payments" as const, facts: new NewestChanges<PaymentFactRow, bigint>() }),
    (work, change) => {
      const next = rowOrKeyDelete(change, toPaymentFact, (c) => c.row.id("payment_id"));
      work.facts.offer(String("row" in next ? next.row.paymentId : next.key), next, created(change));
    },
  ),
  [cdcTopics.loanApplications]: spec(
    "loan_applications",
    () => ({
      kind: "loanApplications" as const,
      applications: new NewestChanges<LoanApplicationRow, bigint>(),
    }),
    (work, change) => {
      const next = rowOrKeyDelete(change, toLoanApplicationRow, (c) => c.row.id("application_id"));
      work.applications.offer(String("row" in next ? next.row.applicationId : next.key), next);
    },
  ),
  [cdcTopics.loanAccounts]: spec(
    "loan_accounts",
    () => ({
      kind: "loans" as const,
      loans: new NewestChanges<LoanRow, bigint>(),
      balances: new NewestChanges<LoanRow>(),
    }),
    (work, change) => {
      const next = rowOrKeyDelete(change, toLoanRow, (c) => c.row.id("loan_id"));
      if ("key" in next) {
        work.loans.offer(String(next.key), next);
        return;
      }
      work.loans.offer(String(next.row.loanId), next);
      // A deleted loan no longer owes anything from that day on (written as such).
      work.balances.offer(`${next.row.loanId}/${next.row.balanceDay}`, next);
    },
  ),
  [cdcTopics.loanPayments]: spec(
    "loan_payments",
    () => ({ kind: "loanPayments" as const, payments: new NewestChanges<LoanPaymentRow, bigint>() }),
    (work, change) => {
      const next = rowOrKeyDelete(change, toLoanPaymentRow, (c) => c.row.id("payment_id"));
      work.payments.offer(String("row" in next ? next.row.paymentId : next.key), next);
    },
  ),
};

/** The topics the loader applies to the warehouse, and the heartbeat topics. */
export const loaderTopics = [...Object.keys(topicSpecs), ...heartbeatTopics];

function parseJson(value: Buffer): unknown {
  try {
    return JSON.parse(value.toString("utf8"));
  } catch (cause) {
    throw new NonRetryableError("message value is not JSON", { cause });
  }
}

/** The time of a heartbeat message `{"ts_ms": …}`. */
function heartbeatTime(value: unknown): Date {
  const ts = (value as { ts_ms?: unknown } | null)?.ts_ms;
  if (typeof ts !== "number" || !Number.isSafeInteger(ts) || ts < 0) {
    throw new NonRetryableError("heartbeat has no ts_ms");
  }
  return new Date(ts);
}

/** Plans a batch of one partition's messages, in offset order. */
export function planBatch(topic: string, messages: readonly PartitionMessage[]): BatchPlan {
  const topicSpec = topicSpecs[topic];
  const isHeartbeat = heartbeatTopics.includes(topic);
  if (!topicSpec && !isHeartbeat) throw new Error(`the loader has no plan for topic ${topic}`);
  const work: BatchWork = topicSpec ? topicSpec.empty() : { kind: "heartbeat", newest: undefined };
  const plan: BatchPlan = {
    topic,
    work,
    rejected: [],
    changes: 0,
    tombstones: 0,
    lastLsn: undefined,
    lastSourceTs: undefined,
    sourceTimes: [],
  };
  for (const message of messages) {
    if (message.value === null || message.value.length === 0) {
      // The tombstone Debezium sends after a delete: the delete itself came just before it.
      plan.tombstones++;
      continue;
    }
    try {
      const value = parseJson(message.value);
      if (work.kind === "heartbeat") {
        const at = heartbeatTime(value);
        if (!work.newest || at > work.newest) work.newest = at;
        plan.lastSourceTs = work.newest;
        plan.sourceTimes.push(at);
      } else {
        const change = readCdcChange(topicSpec!.table, value);
        topicSpec!.read(work, change);
        if (plan.lastLsn === undefined || change.lsn > plan.lastLsn) plan.lastLsn = change.lsn;
        if (change.sourceTs) {
          plan.sourceTimes.push(change.sourceTs);
          if (!plan.lastSourceTs || change.sourceTs > plan.lastSourceTs) plan.lastSourceTs = change.sourceTs;
        }
      }
      plan.changes++;
    } catch (error) {
      if (!(error instanceof NonRetryableError)) throw error;
      plan.rejected.push({ offset: message.offset, reason: error.message });
    }
  }
  return plan;
}

/**
 * The source commit time of the first change among the messages, read cheaply before a batch is
 * planned (for the oldest unapplied change); undefined when it has none.
 */
export function firstSourceTime(messages: readonly PartitionMessage[]): Date | undefined {
  for (const message of messages) {
    if (!message.value || message.value.length === 0) continue;
    try {
      const value = JSON.parse(message.value.toString("utf8")) as Record<string, unknown>;
      const ts = value.__source_ts_ms ?? value.ts_ms;
      if (typeof ts === "number" && Number.isSafeInteger(ts)) return new Date(ts);
    } catch {
      // A malformed message has no time; the next one may.
    }
  }
  return undefined;
}
