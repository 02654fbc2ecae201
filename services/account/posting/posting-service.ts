// The bank's posting rules: a transaction's debits and credits balance per currency, touch only
// ACTIVE accounts in their own currency, never take a balance below minus its overdraft limit nor
// withdrawals past the daily limit, and are applied at most once per transaction id.
import { createHash } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import {
  PostedBalanceSchema,
  PostingDirection,
  PostingKind,
  PostingResultSchema,
  type Posting,
  type PostingResult,
} from "../../../gen/ts/fidalex/account/v1/posting_pb.js";
import type { ApplyPostingsRequest } from "../../../gen/ts/fidalex/account/v1/posting_service_pb.js";
import type { Principal } from "../../runtime/auth.js";
import type { CommonQueryMethods } from "../../runtime/database.js";
import { domainError } from "../../runtime/errors.js";
import { formatAmount, money, type Money } from "../../runtime/money.js";
import {
  book,
  claimTransaction,
  findAppliedTransaction,
  lockAccounts,
  withdrawnToday,
  type AppliedTransactionRow,
  type LockedAccountRow,
  type StoredBalance,
} from "./posting-repository.js";

/** The largest magnitude NUMERIC(18,2) holds. */
const balanceBound = money("9999999999999999.99");

/** The result message of an applied transaction; `replayed` when this call changed nothing. */
export function toPostingResult(row: AppliedTransactionRow, replayed: boolean): PostingResult {
  return create(PostingResultSchema, {
    transactionId: row.transaction_id,
    appliedAt: timestampFromDate(row.applied_at),
    balances: (row.balances ?? []).map((b) =>
      create(PostedBalanceSchema, {
        accountId: BigInt(b.account_id),
        balance: b.balance,
        currency: b.currency,
      }),
    ),
    replayed,
  });
}

/** Refuses postings whose debits and credits differ for some currency. */
export function checkBalanced(postings: readonly Posting[]): void {
  const net = new Map<string, Money>();
  for (const p of postings) {
    const signed = p.direction === PostingDirection.DEBIT ? money(p.amount).negated() : money(p.amount);
    net.set(p.currency, (net.get(p.currency) ?? money("0")).plus(signed));
  }
  for (const [currency, sum] of net) {
    if (!sum.isZero()) {
      throw domainError(
        Code.InvalidArgument,
        "POSTINGS_UNBALANCED",
        `the debits and credits in ${currency} do not sum to the same amount`,
        { currency, difference: formatAmount(sum) },
      );
    }
  }
}

/**
 * A fingerprint of what a request books: its kind and its postings, in a canonical order and
 * with amounts at two decimals, so that a retry with the same content in another order or
 * spelling ("5" and "5.00") is recognized. Who asked (changed_by) is not part of it.
 */
export function postingFingerprint(kind: PostingKind, postings: readonly Posting[]): string {
  const lines = postings
    .map(
      (p) => `${p.accountId}|${PostingDirection[p.direction]}|${formatAmount(money(p.amount))}|${p.currency}`,
    )
    .sort();
  return createHash("sha256")
    .update([PostingKind[kind], ...lines].join("\n"))
    .digest("hex");
}

/** How one transaction changes one account. */
interface AccountEffect {
  account: LockedAccountRow;
  debits: Money;
  credits: Money;
}

function refuse(code: Code, reason: string, message: string, accountId: bigint): never {
  throw domainError(code, reason, message, { account_id: String(accountId) });
}

/** Checks status, currency and overdraft of every touched account and returns the effects. */
function effectsOf(postings: readonly Posting[], locked: readonly LockedAccountRow[]): AccountEffect[] {
  const byId = new Map(locked.map((row) => [row.account_id, row]));
  const requested = [...new Set(postings.map((p) => p.accountId))].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  for (const id of requested) {
    if (!byId.has(id)) refuse(Code.NotFound, "ACCOUNT_NOT_FOUND", "no account has this id", id);
  }
  for (const row of locked) {
    if (row.status !== "ACTIVE") {
      refuse(Code.FailedPrecondition, "ACCOUNT_NOT_ACTIVE", `the account is ${row.status}`, row.account_id);
    }
  }
  const effects = new Map<bigint, AccountEffect>();
  for (const p of postings) {
    const account = byId.get(p.accountId)!;
    if (p.currency !== account.currency) {
      refuse(
        Code.FailedPrecondition,
        "CURRENCY_MISMATCH",
        `the posting is in ${p.currency}, the account in ${account.currency}`,
        p.accountId,
      );
    }
    const effect = effects.get(p.accountId) ?? { account, debits: money("0"), credits: money("0") };
    if (p.direction === PostingDirection.DEBIT) effect.debits = effect.debits.plus(p.amount);
    else effect.credits = effect.credits.plus(p.amount);
    effects.set(p.accountId, effect);
  }
  const ordered = locked.map((row) => effects.get(row.account_id)!);
  for (const { account, debits, credits } of ordered) {
    const next = money(account.balance).minus(debits).plus(credits);
    const overdrawn = next.lessThan(money(account.overdraft_limit).negated());
    if (debits.greaterThan(credits) && !account.is_settlement && overdrawn) {
      refuse(
        Code.FailedPrecondition,
        "INSUFFICIENT_FUNDS",
        "the debit would take the balance below the overdraft limit",
        account.account_id,
      );
    }
    if (next.abs().greaterThan(balanceBound)) {
      refuse(
        Code.FailedPrecondition,
        "BALANCE_OUT_OF_RANGE",
        "the balance would exceed the largest amount",
        account.account_id,
      );
    }
  }
  return ordered;
}

/** Refuses WITHDRAWAL debits that would take an account past its daily withdrawal limit. */
async function checkDailyLimits(
  tx: CommonQueryMethods,
  postings: readonly Posting[],
  effects: AccountEffect[],
) {
  const withdrawals = new Map<bigint, Money>();
  for (const p of postings) {
    if (p.direction !== PostingDirection.DEBIT) continue;
    withdrawals.set(p.accountId, (withdrawals.get(p.accountId) ?? money("0")).plus(p.amount));
  }
  const limited = effects.filter((e) => !e.account.is_settlement && withdrawals.has(e.account.account_id));
  if (limited.length === 0) return;
  const today = await withdrawnToday(
    tx,
    limited.map((e) => e.account.account_id),
  );
  for (const { account } of limited) {
    const total = money(today.get(account.account_id) ?? "0").plus(withdrawals.get(account.account_id)!);
    if (total.greaterThan(account.daily_withdrawal_limit)) {
      refuse(
        Code.FailedPrecondition,
        "DAILY_LIMIT_EXCEEDED",
        "the withdrawal would exceed the account's daily withdrawal limit",
        account.account_id,
      );
    }
  }
}

/**
 * Applies a transaction's postings in the caller's database transaction, or refuses them and
 * changes nothing (the caller rolls back). The transaction id is claimed first: a concurrent call
 * with the same id waits on the claim and then replays the committed result, so the id is applied
 * once. Same id, different postings: ALREADY_EXISTS.
 */
export async function applyPostings(
  tx: CommonQueryMethods,
  principal: Principal,
  req: ApplyPostingsRequest,
): Promise<PostingResult> {
  const kind = PostingKind[req.kind];
  const fingerprint = postingFingerprint(req.kind, req.postings);
  const claimed = await claimTransaction(tx, {
    transactionId: req.transactionId,
    kind,
    fingerprint,
    changedBy: req.changedBy,
  });
  if (!claimed) {
    const applied = await findAppliedTransaction(tx, req.transactionId);
    if (applied && applied.fingerprint === fingerprint) return toPostingResult(applied, true);
    throw domainError(
      Code.AlreadyExists,
      "TRANSACTION_ID_REUSED",
      "this transaction id was already applied with different postings",
      { transaction_id: String(req.transactionId) },
    );
  }

  const accountIds = [...new Set(req.postings.map((p) => p.accountId))];
  const locked = await lockAccounts(tx, accountIds);
  const effects = effectsOf(req.postings, locked);
  if (req.kind === PostingKind.WITHDRAWAL) await checkDailyLimits(tx, req.postings, effects);

  const balances = effects.map(({ account, debits, credits }) => ({
    account,
    before: formatAmount(money(account.balance)),
    after: formatAmount(money(account.balance).minus(debits).plus(credits)),
    change: formatAmount(credits.minus(debits)),
  }));
  const result: StoredBalance[] = balances.map((b) => ({
    account_id: String(b.account.account_id),
    balance: b.after,
    currency: b.account.currency,
  }));
  const row = await book(tx, {
    transactionId: req.transactionId,
    kind,
    changedBy: req.changedBy,
    lines: req.postings.map((p) => ({
      accountId: p.accountId,
      direction: p.direction === PostingDirection.DEBIT ? "DEBIT" : "CREDIT",
      amount: formatAmount(money(p.amount)),
      currency: p.currency,
    })),
    balances: balances.map((b) => ({ accountId: b.account.account_id, balance: b.after })),
    logs: balances.map((b) => ({
      accountId: b.account.account_id,
      oldValue: { balance: b.before },
      newValue: {
        balance: b.after,
        change: b.change,
        transaction_id: String(req.transactionId),
        kind,
        caller: principal.subject,
      },
    })),
    result,
  });
  return toPostingResult(row, false);
}

/** Whether a transaction id has been applied (committed), with its result. */
export async function postingStatus(
  db: CommonQueryMethods,
  transactionId: bigint,
): Promise<{ applied: boolean; result?: PostingResult }> {
  const row = await findAppliedTransaction(db, transactionId);
  return row ? { applied: true, result: toPostingResult(row, false) } : { applied: false };
}
