// Four eyes (maker-checker) for staff actions above a threshold: the first staff member's request
// is stored as a PENDING approval (runtime migration 0005_approvals.sql) and carried out only when
// a different staff member approves it; both names stay on the approval and go into the audit of
// what it did. The Transaction service uses it for large cash movements, the Account service for
// high overdraft limits; each carries out its own action once approval is given.
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { z } from "zod";
import {
  ApprovalAction,
  ApprovalSchema,
  ApprovalStatus,
  type Approval,
} from "../../gen/ts/fidalex/type/v1/approval_pb.js";
import { actorName, requireStaff } from "./access.js";
import type { Principal } from "./auth.js";
import { sql, type CommonQueryMethods } from "./database.js";
import { domainError } from "./errors.js";
import { formatAmount, money } from "./money.js";

/** What an approval is for, as stored. */
export type ApprovalActionName = "DEPOSIT" | "WITHDRAWAL" | "SETTINGS_CHANGE";

/** An approval as stored. */
export const approvalRow = z.object({
  approval_id: z.bigint(),
  action: z.enum(["DEPOSIT", "WITHDRAWAL", "SETTINGS_CHANGE"]),
  status: z.enum(["PENDING", "APPROVED", "REJECTED"]),
  account_id: z.bigint(),
  amount: z.string(),
  currency: z.string(),
  request: z.record(z.unknown()),
  fingerprint: z.string().nullable(),
  requested_by: z.string(),
  decided_by: z.string().nullable(),
  created_at: z.date(),
  decided_at: z.date().nullable(),
});
export type ApprovalRow = z.infer<typeof approvalRow>;

const columns = sql.fragment`approval_id, action, status, account_id, amount, currency, request, fingerprint,
  requested_by, decided_by, created_at, decided_at`;

/** The contract's Approval of a stored one. */
export function toApproval(row: ApprovalRow): Approval {
  return create(ApprovalSchema, {
    approvalId: row.approval_id,
    action: ApprovalAction[row.action],
    status: ApprovalStatus[row.status],
    accountId: row.account_id,
    amount: formatAmount(money(row.amount)),
    currency: row.currency,
    requestedBy: row.requested_by,
    decidedBy: row.decided_by ?? "",
    createdAt: timestampFromDate(row.created_at),
    decidedAt: row.decided_at ? timestampFromDate(row.decided_at) : undefined,
  });
}

/** Whether an amount is above a threshold and so needs a second staff member. */
export function needsApproval(amount: string, threshold: string): boolean {
  return money(amount).greaterThan(money(threshold));
}

/** What a staff member asks for. */
export interface ApprovalRequest {
  action: ApprovalActionName;
  accountId: bigint;
  amount: string;
  currency: string;
  /** What to carry out once approved (JSON). */
  request: Record<string, string | boolean | null>;
  /** The maker's idempotency key and the request's fingerprint, when the action has a key. */
  key?: { value: string; fingerprint: string };
}

/** The approval already asked for with this idempotency key on the account, or null. */
export function findApprovalByKey(
  conn: CommonQueryMethods,
  accountId: bigint,
  key: string,
): Promise<ApprovalRow | null> {
  return conn.maybeOne(sql.type(approvalRow)`
    SELECT ${columns} FROM approvals WHERE account_id = ${accountId} AND request_key = ${key}`);
}

/**
 * Stores a PENDING approval asked for by the principal (staff). With a key, asking again returns
 * the approval asked for first; the key with another request is ALREADY_EXISTS
 * (IDEMPOTENCY_KEY_REUSED).
 */
export async function requestApproval(
  conn: CommonQueryMethods,
  principal: Principal,
  ask: ApprovalRequest,
): Promise<ApprovalRow> {
  requireStaff(principal);
  const inserted = await conn.maybeOne(sql.type(approvalRow)`
    INSERT INTO approvals (action, account_id, amount, currency, request, request_key, fingerprint, requested_by)
    VALUES (${ask.action}, ${ask.accountId}, ${ask.amount}, ${ask.currency}, ${sql.jsonb(ask.request)},
            ${ask.key?.value ?? null}, ${ask.key?.fingerprint ?? null}, ${actorName(principal)})
    ON CONFLICT (account_id, request_key) WHERE request_key IS NOT NULL DO NOTHING
    RETURNING ${columns}`);
  if (inserted) return inserted;
  const existing = await findApprovalByKey(conn, ask.accountId, ask.key!.value);
  return assertSameRequest(existing!, ask.key!.fingerprint);
}

/** The approval found under a key, unless the key was used with another request. */
export function assertSameRequest(row: ApprovalRow, fingerprint: string): ApprovalRow {
  if (row.fingerprint !== fingerprint) {
    throw domainError(
      Code.AlreadyExists,
      "IDEMPOTENCY_KEY_REUSED",
      "the idempotency key was used with other parameters",
    );
  }
  return row;
}

/** NOT_FOUND, reason APPROVAL_NOT_FOUND. */
export const approvalNotFound = () =>
  domainError(Code.NotFound, "APPROVAL_NOT_FOUND", "no approval has this id");

/**
 * Approves or rejects a PENDING approval as the principal, who must be staff and not the one who
 * asked for it (SAME_APPROVER); `check` refuses approvals the caller may not decide (another
 * account, the caller's own account). Deciding the same way twice returns the approval as it is
 * (`decidedNow` false); approving a REJECTED one is APPROVAL_REJECTED, rejecting an APPROVED one
 * APPROVAL_NOT_PENDING.
 */
export async function decideApproval(
  tx: CommonQueryMethods,
  principal: Principal,
  approvalId: bigint,
  decision: "APPROVED" | "REJECTED",
  check: (row: ApprovalRow) => void | Promise<void>,
): Promise<{ approval: ApprovalRow; decidedNow: boolean }> {
  requireStaff(principal);
  const row = await tx.maybeOne(sql.type(approvalRow)`
    SELECT ${columns} FROM approvals WHERE approval_id = ${approvalId} FOR UPDATE`);
  if (!row) throw approvalNotFound();
  await check(row);
  if (row.requested_by === actorName(principal)) {
    throw domainError(
      Code.PermissionDenied,
      "SAME_APPROVER",
      "a second staff member must decide: the one who asked may not approve or reject",
    );
  }
  if (row.status === decision) return { approval: row, decidedNow: false };
  if (row.status !== "PENDING") {
    throw decision === "APPROVED"
      ? domainError(Code.FailedPrecondition, "APPROVAL_REJECTED", "the request was rejected")
      : domainError(Code.FailedPrecondition, "APPROVAL_NOT_PENDING", "the request was already approved");
  }
  const approval = await tx.one(sql.type(approvalRow)`
    UPDATE approvals SET status = ${decision}, decided_by = ${actorName(principal)}, decided_at = NOW()
    WHERE approval_id = ${approvalId} RETURNING ${columns}`);
  return { approval, decidedNow: true };
}
