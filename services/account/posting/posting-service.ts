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
  applyPostingsInDatabase,
  findAppliedTransaction,
  type AppliedTransactionRow,
} from "./posting-repository.js";

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

/** The refusals the database function raises (SQLSTATE P0001, MESSAGE the reason) and their codes. */
const refusalCodes: Readonly<Record<string, Code>> = {
  ACCOUNT_NOT_FOUND: Code.NotFound,
  TRANSACTION_ID_REUSED: Code.AlreadyExists,
  ACCOUNT_NOT_ACTIVE: Code.FailedPrecondition,
  CURRENCY_MISMATCH: Code.FailedPrecondition,
  INSUFFICIENT_FUNDS: Code.FailedPrecondition,
  BALANCE_OUT_OF_RANGE: Code.FailedPrecondition,
  DAILY_LIMIT_EXCEEDED: Code.FailedPrecondition,
};

/** The API error of a refusal raised by apply_postings, or undefined for any other error. */
function refusalOf(error: unknown, transactionId: bigint) {
  const e = error as { code?: unknown; message?: unknown; detail?: unknown; hint?: unknown };
  if (e?.code !== "P0001" || typeof e.message !== "string") return undefined;
  const code = refusalCodes[e.message];
  if (code === undefined) return undefined;
  const metadata: Record<string, string> =
    typeof e.hint === "string" && e.hint !== ""
      ? { account_id: e.hint }
      : { transaction_id: String(transactionId) };
  return domainError(code, e.message, String(e.detail ?? e.message), metadata);
}

/**
 * Applies a transaction's postings, or refuses them and changes nothing. The rules (ACTIVE
 * accounts in their own currency, the overdraft limit, the largest balance, the daily withdrawal
 * limit) and the claim of the transaction id run inside the database, where the accounts are
 * locked (migrations/0004_apply_postings.sql): a concurrent call with the same id waits on the
 * claim and then replays the committed result, so the id is applied once. Same id, different
 * postings: ALREADY_EXISTS.
 */
export async function applyPostings(
  db: CommonQueryMethods,
  principal: Principal,
  req: ApplyPostingsRequest,
): Promise<PostingResult> {
  try {
    const row = await applyPostingsInDatabase(db, {
      transactionId: req.transactionId,
      kind: PostingKind[req.kind],
      fingerprint: postingFingerprint(req.kind, req.postings),
      changedBy: req.changedBy,
      caller: principal.subject,
      postings: req.postings.map((p) => ({
        account_id: String(p.accountId),
        direction: p.direction === PostingDirection.DEBIT ? "DEBIT" : "CREDIT",
        amount: formatAmount(money(p.amount)),
        currency: p.currency,
      })),
    });
    return toPostingResult(row, row.replayed);
  } catch (error) {
    throw refusalOf(error, req.transactionId) ?? error;
  }
}

/** Whether a transaction id has been applied (committed), with its result. */
export async function postingStatus(
  db: CommonQueryMethods,
  transactionId: bigint,
): Promise<{ applied: boolean; result?: PostingResult }> {
  const row = await findAppliedTransaction(db, transactionId);
  return row ? { applied: true, result: toPostingResult(row, false) } : { applied: false };
}
