// What the customer's own history with the bank says about them, from their accounts and the
// transactions of a recent window (by default 90 days), as the Account and Transaction services
// report them. Pure: the fetching is in customer-history.ts.
//
// - Income proxy: money that came in from outside (deposits, and transfers from accounts that are
//   neither the customer's own nor the bank's settlement accounts, so a loan payout is not
//   income), as a monthly figure (30 days).
// - Average balance: the mean of the end-of-day totals of the customer's current and savings
//   accounts over the window, rebuilt backwards from today's balances and the movements.
// - Overdraft use: the days of the window that ended with any of those accounts below zero.
// - Tenure: whole months since the customer became a customer.
import { addDays, calendarDayStart, utcDay, wholeMonthsBetween } from "../../runtime/calendar.js";
import { formatAmount, money, Money } from "../../runtime/money.js";

/** An account of the customer, as the Account service reports it. */
export interface HistoryAccount {
  accountId: bigint;
  /** CHECKING, SAVINGS, LOAN or CREDIT; only current and savings accounts carry the history. */
  type: string;
  /** The balance now, a decimal string. */
  balance: string;
}

/** A transaction touching one of the customer's accounts, as the Transaction service reports it. */
export interface HistoryTransaction {
  transactionId: bigint;
  accountId: bigint;
  /** 0n when there is none. */
  relatedAccountId: bigint;
  type: "DEPOSIT" | "WITHDRAWAL" | "TRANSFER" | "FEE" | "REVERSAL" | "OTHER";
  /** SUCCESS and REVERSED transactions moved money; others did not. */
  moved: boolean;
  amount: string;
  createdAt: Date;
  /** For a REVERSAL, the transaction it undid; 0n otherwise. */
  reversalOf: bigint;
}

/** What the history is read against. */
export interface HistoryInput {
  asOf: Date;
  windowDays: number;
  customerSince: Date;
  accounts: readonly HistoryAccount[];
  transactions: readonly HistoryTransaction[];
  /** The bank's settlement accounts: transfers from them (loan payouts) are not income. */
  settlementAccountIds: ReadonlySet<bigint>;
}

/** The history features; money as decimal strings. */
export interface HistoryFeatures {
  windowDays: number;
  monthlyIncome: string;
  averageBalance: string;
  overdraftDays: number;
  tenureMonths: number;
}

const balanceTypes = new Set(["CHECKING", "SAVINGS"]);

/** The signed change a transaction made to each of the given accounts (+ credit, − debit). */
function flowsOf(
  txn: HistoryTransaction,
  byId: ReadonlyMap<bigint, HistoryTransaction>,
): Array<{ accountId: bigint; amount: Money }> {
  const amount = money(txn.amount);
  switch (txn.type) {
    case "DEPOSIT":
      return [{ accountId: txn.accountId, amount }];
    case "WITHDRAWAL":
    case "FEE":
      return [{ accountId: txn.accountId, amount: amount.negated() }];
    case "TRANSFER":
      return [
        { accountId: txn.accountId, amount: amount.negated() },
        { accountId: txn.relatedAccountId, amount },
      ];
    case "REVERSAL": {
      // A reversal moves the original's money back; without the original in view its direction
      // is unknown, and it is left out.
      const original = byId.get(txn.reversalOf);
      if (!original || original.type === "REVERSAL") return [];
      return flowsOf(original, byId).map((flow) => ({ ...flow, amount: flow.amount.negated() }));
    }
    default:
      return [];
  }
}

/** Reads the history features. */
export function historyFeatures(input: HistoryInput): HistoryFeatures {
  const own = new Set(input.accounts.map((a) => a.accountId));
  const carrying = input.accounts.filter((a) => balanceTypes.has(a.type));
  const today = utcDay(input.asOf);
  const firstDay = addDays(today, -(input.windowDays - 1));
  const windowStart = calendarDayStart(firstDay)!;
  const moved = input.transactions.filter((t) => t.moved && t.createdAt <= input.asOf);
  const byId = new Map(moved.map((t) => [t.transactionId, t]));

  let income = new Money(0);
  for (const txn of moved) {
    if (txn.createdAt < windowStart) continue;
    const external =
      txn.type === "DEPOSIT" ||
      (txn.type === "TRANSFER" && !own.has(txn.accountId) && !input.settlementAccountIds.has(txn.accountId));
    const creditedAccount = txn.type === "DEPOSIT" ? txn.accountId : txn.relatedAccountId;
    if (external && own.has(creditedAccount)) income = income.plus(txn.amount);
  }

  // Walk back from today's balances: the balance at the end of a day is the one after it minus
  // every movement made after that day ended.
  const balances = new Map(carrying.map((a) => [a.accountId, money(a.balance)]));
  const flowsByDay = new Map<string, Array<{ accountId: bigint; amount: Money }>>();
  for (const txn of moved) {
    const day = utcDay(txn.createdAt);
    if (day < firstDay) continue;
    const flows = flowsOf(txn, byId).filter((flow) => balances.has(flow.accountId));
    flowsByDay.set(day, [...(flowsByDay.get(day) ?? []), ...flows]);
  }
  let total = new Money(0);
  let overdraftDays = 0;
  for (let day = today; day >= firstDay; day = addDays(day, -1)) {
    const values = [...balances.values()];
    total = total.plus(values.reduce((sum, b) => sum.plus(b), new Money(0)));
    if (values.some((b) => b.lessThan(0))) overdraftDays++;
    for (const flow of flowsByDay.get(day) ?? []) {
      balances.set(flow.accountId, balances.get(flow.accountId)!.minus(flow.amount));
    }
  }

  return {
    windowDays: input.windowDays,
    monthlyIncome: formatAmount(income.times(30).div(input.windowDays)),
    averageBalance: formatAmount(total.div(input.windowDays)),
    overdraftDays,
    tenureMonths: wholeMonthsBetween(input.customerSince, input.asOf),
  };
}
