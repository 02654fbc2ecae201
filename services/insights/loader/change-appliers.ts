// What a planned batch does to the warehouse, inside the batch's transaction: one set-based
// statement per table (warehouse-repository.ts). No change ever waits for another: a fact whose
// account the warehouse does not hold yet is loaded at once to the Unassigned branch (0) and its
// account parked; the account's arrival, whichever lane brings it, moves its facts to its branch.
// An advisory lock per account orders the two, so a fact is never left behind on Unassigned.
import type { DatabaseTransactionConnection } from "../../runtime/database.js";
import type { BatchPlan, RowChange } from "./change-plan.js";
import * as warehouse from "./warehouse-repository.js";
import type { ChangedFact } from "./warehouse-repository.js";

/** What applying a batch changed. */
export interface ApplyOutcome {
  /** Warehouse rows written. */
  rows: number;
  /** Days whose transaction facts changed: the daily summary must be refreshed for them. */
  summaryDays: Set<string>;
}

/**
 * Loads facts of accounts without a branch in the warehouse to Unassigned, parking those accounts:
 * first the accounts that look missing are locked (in id order), then the upsert reads their
 * branch again, so an account that arrived meanwhile is seen; one still missing is parked before
 * the lock is released, and its arrival (which takes the same lock) finds it parked.
 */
async function upsertFactsOfAccounts<Row extends { accountId: bigint }>(
  tx: DatabaseTransactionConnection,
  changes: readonly RowChange<Row>[],
  facts: {
    upsert(changes: readonly RowChange<Row>[]): Promise<ChangedFact[]>;
    newOnDay(facts: { id: bigint; day: string }[]): Promise<Set<bigint>>;
    settleMoved(moved: { id: bigint; day: string; lsn: bigint }[]): Promise<string[]>;
    idOf(row: Row): bigint;
    dayOf(row: Row): string;
  },
): Promise<{ facts: ChangedFact[]; removedDays: string[] }> {
  if (changes.length === 0) return { facts: [], removedDays: [] };
  // A fact whose row appears on a new day from a change other than its creation (the only way a
  // second day can appear) is settled after the upsert; such rows are found first, pruned by day.
  const notCreated = changes.filter((c) => !c.created);
  const newOnDay = await facts.newOnDay(
    notCreated.map((c) => ({ id: facts.idOf(c.row), day: facts.dayOf(c.row) })),
  );
  const missing = await warehouse.findAccountsWithoutBranch(
    tx,
    changes.map((c) => c.row.accountId),
  );
  await warehouse.lockAccounts(tx, missing);
  const changed = await facts.upsert(changes);
  await warehouse.parkAccounts(
    tx,
    changed.filter((f) => f.branchId === 0).map((f) => f.accountId),
  );
  const lsnOf = new Map(changes.map((c) => [facts.idOf(c.row), c.lsn]));
  const moved = changed
    .filter((f) => newOnDay.has(f.id))
    .map((f) => ({ id: f.id, day: f.day, lsn: lsnOf.get(f.id)! }));
  return { facts: changed, removedDays: await facts.settleMoved(moved) };
}

/**
 * Accounts that now have a branch and before had none (new to the warehouse, or branch 0): under
 * their lock, the parked ones get their Unassigned facts moved to their branch.
 */
async function assignParkedFacts(
  tx: DatabaseTransactionConnection,
  before: Map<bigint, number>,
  after: readonly { account_id: bigint; branch_id: number }[],
): Promise<{ moved: number; days: string[] }> {
  const branched = after.filter((a) => a.branch_id !== 0 && (before.get(a.account_id) ?? 0) === 0);
  if (branched.length === 0) return { moved: 0, days: [] };
  await warehouse.lockAccounts(
    tx,
    branched.map((a) => a.account_id),
  );
  const parked = new Set(
    await warehouse.unparkAccounts(
      tx,
      branched.map((a) => a.account_id),
    ),
  );
  const accounts = branched
    .filter((a) => parked.has(a.account_id))
    .map((a) => ({ accountId: a.account_id, branchId: a.branch_id }));
  return { moved: accounts.length, days: await warehouse.assignParkedFacts(tx, accounts) };
}

/** Applies a planned batch in the transaction; returns what changed. */
export async function applyPlan(tx: DatabaseTransactionConnection, plan: BatchPlan): Promise<ApplyOutcome> {
  const summaryDays = new Set<string>();
  const flaggedDays = (rows: readonly { day: string | null }[]) => {
    for (const row of rows) if (row.day) summaryDays.add(row.day);
    return rows.length;
  };
  const { work } = plan;
  let rows = 0;
  switch (work.kind) {
    case "branches":
      rows += await warehouse.upsertBranches(tx, work.branches.rows());
      rows += (await warehouse.flagDeleted(tx, "dim_branch", work.branches.keyDeletes())).length;
      break;
    case "customers":
      rows += await warehouse.upsertCustomers(tx, work.customers.rows());
      rows += (await warehouse.flagDeleted(tx, "dim_customer", work.customers.keyDeletes())).length;
      break;
    case "accounts": {
      const changes = work.accounts.rows();
      const before = await warehouse.findAccountBranches(
        tx,
        changes.map((c) => c.row.accountId),
      );
      const after = await warehouse.upsertAccounts(tx, changes);
      rows += after.length;
      rows += (await warehouse.flagDeleted(tx, "dim_account", work.accounts.keyDeletes())).length;
      rows += await warehouse.upsertAccountBalances(tx, work.balances.rows());
      const assigned = await assignParkedFacts(tx, before, after);
      for (const day of assigned.days) summaryDays.add(day);
      break;
    }
    case "transactions": {
      const { facts, removedDays } = await upsertFactsOfAccounts(tx, work.facts.rows(), {
        upsert: (changes) => warehouse.upsertTransactionFacts(tx, changes),
        newOnDay: (candidates) => warehouse.findTransactionFactsNewOnDay(tx, candidates),
        settleMoved: (moved) => warehouse.settleMovedTransactionFacts(tx, moved),
        idOf: (row) => row.transactionId,
        dayOf: (row) => row.dateId,
      });
      rows += facts.length;
      for (const fact of facts) summaryDays.add(fact.day);
      for (const day of removedDays) summaryDays.add(day);
      rows += flaggedDays(await warehouse.flagDeleted(tx, "fact_transactions", work.facts.keyDeletes()));
      break;
    }
    case "payments": {
      const { facts } = await upsertFactsOfAccounts(tx, work.facts.rows(), {
        upsert: (changes) => warehouse.upsertPaymentFacts(tx, changes),
        newOnDay: (candidates) => warehouse.findPaymentFactsNewOnDay(tx, candidates),
        settleMoved: (moved) => warehouse.settleMovedPaymentFacts(tx, moved),
        idOf: (row) => row.paymentId,
        dayOf: (row) => row.dateId,
      });
      rows += facts.length;
      rows += (await warehouse.flagDeleted(tx, "fact_payments", work.facts.keyDeletes())).length;
      break;
    }
    case "loanApplications":
      rows += await warehouse.upsertLoanApplications(tx, work.applications.rows());
      rows += (await warehouse.flagDeleted(tx, "dim_loan_application", work.applications.keyDeletes()))
        .length;
      break;
    case "loans":
      rows += await warehouse.upsertLoans(tx, work.loans.rows());
      rows += (await warehouse.flagDeleted(tx, "dim_loan", work.loans.keyDeletes())).length;
      rows += await warehouse.upsertLoanBalances(tx, work.balances.rows());
      break;
    case "loanPayments":
      rows += await warehouse.upsertLoanPayments(tx, work.payments.rows());
      rows += (await warehouse.flagDeleted(tx, "fact_loan_payments", work.payments.keyDeletes())).length;
      break;
    case "heartbeat":
      break;
  }
  return { rows, summaryDays };
}
