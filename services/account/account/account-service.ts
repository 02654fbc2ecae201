// Business rules for accounts (opening, status lifecycle, settings, who sees what) and the one
// mapper from stored rows to the contract's Account, AccountSettings and AccountBalance messages.
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import {
  AccountBalanceSchema,
  AccountSchema,
  AccountSettingsSchema,
  AccountStatus,
  AccountType,
  type Account,
  type AccountBalance,
  type AccountSettings,
} from "../../../gen/ts/fidalex/account/v1/account_pb.js";
import type {
  ListCustomerAccountsRequest,
  OpenAccountRequest,
  UpdateAccountSettingsRequest,
  UpdateAccountStatusRequest,
} from "../../../gen/ts/fidalex/account/v1/account_service_pb.js";
import {
  actsForBank,
  isOwnRecord,
  isStaff,
  permissionDenied,
  refuseOwnRecord,
  requireCustomerAccess,
  requireStaff,
} from "../../runtime/access.js";
import {
  approvalNotFound,
  decideApproval,
  needsApproval,
  requestApproval,
  type ApprovalRow,
} from "../../runtime/approvals.js";
import type { Principal } from "../../runtime/auth.js";
import type { CommonQueryMethods } from "../../runtime/database.js";
import { domainError, invalidArgument } from "../../runtime/errors.js";
import { formatAmount, money } from "../../runtime/money.js";
import { fetchIdPage, type Page } from "../../runtime/pagination.js";
import { insertAccountLog, type AuditValues } from "../account-log/account-log-repository.js";
import { findBranch } from "../branch/branch-repository.js";
import { findCustomer } from "../customer/customer-repository.js";
import {
  findAccount,
  findBalanceView,
  findSettings,
  insertAccount,
  listCustomerAccounts,
  saveSettings,
  updateAccountStatus,
  type AccountRow,
  type AccountStatusName,
  type BalanceViewRow,
  type SettingsRow,
  type SettingsValues,
} from "./account-repository.js";

/** The Account message of a stored account. */
export function toAccount(row: AccountRow): Account {
  return create(AccountSchema, {
    accountId: row.account_id,
    customerId: row.customer_id,
    accountNumber: row.account_number,
    accountType: AccountType[row.account_type],
    currency: row.currency,
    balance: formatAmount(money(row.balance)),
    status: AccountStatus[row.status],
    branchId: row.branch_id,
    openedAt: timestampFromDate(row.opened_at),
    closedAt: row.closed_at ? timestampFromDate(row.closed_at) : undefined,
    updatedAt: timestampFromDate(row.updated_at),
  });
}

/** The AccountSettings message of stored settings. */
export function toSettings(row: SettingsRow): AccountSettings {
  return create(AccountSettingsSchema, {
    accountId: row.account_id,
    overdraftLimit: formatAmount(money(row.overdraft_limit)),
    dailyWithdrawalLimit: formatAmount(money(row.daily_withdrawal_limit)),
    notificationsEnabled: row.notifications_enabled,
  });
}

/** The balance view: what is booked, and what a debit may take (balance plus overdraft). */
export function toBalance(accountId: bigint, row: BalanceViewRow): AccountBalance {
  return create(AccountBalanceSchema, {
    accountId,
    balance: formatAmount(money(row.balance)),
    availableBalance: formatAmount(money(row.balance).plus(row.overdraft_limit)),
    currency: row.currency,
    asOf: timestampFromDate(row.as_of),
  });
}

/** ISO-4217 codes the runtime knows (Intl's list of currencies in use). */
const isoCurrencies = new Set(Intl.supportedValuesOf("currency"));

/**
 * The account with this id for a caller allowed to see it. A customer gets PERMISSION_DENIED alike
 * for another customer's account and for an id no account has, so ids do not leak; only callers
 * who reach every account learn NOT_FOUND.
 */
export async function accountFor(
  db: CommonQueryMethods,
  principal: Principal,
  accountId: bigint,
  options: { forUpdate?: boolean } = {},
): Promise<AccountRow> {
  const all = actsForBank(principal);
  if (!all && principal.customerId === undefined) throw permissionDenied("account");
  const row = await findAccount(db, accountId, options);
  if (!all && (!row || row.customer_id !== principal.customerId)) throw permissionDenied("account");
  if (!row) throw domainError(Code.NotFound, "ACCOUNT_NOT_FOUND", "no account has this id");
  return row;
}

function settingsAudit(row: SettingsRow): AuditValues {
  return {
    overdraft_limit: formatAmount(money(row.overdraft_limit)),
    daily_withdrawal_limit: formatAmount(money(row.daily_withdrawal_limit)),
    notifications_enabled: row.notifications_enabled,
  };
}

/**
 * Whether the account is the principal's own: its customer is the token's customer, or is linked
 * to the principal's user (which a token issued before the link does not show).
 */
async function isOwnCustomer(tx: CommonQueryMethods, principal: Principal, customerId: bigint) {
  if (isOwnRecord(principal, customerId)) return true;
  if (principal.userId === 0n) return false;
  const customer = await findCustomer(tx, customerId);
  return isOwnRecord(principal, customerId, customer?.user_id ?? null);
}

/** Whether the account is the principal's own (see isOwnCustomer). */
const isOwnAccount = (tx: CommonQueryMethods, principal: Principal, account: AccountRow) =>
  isOwnCustomer(tx, principal, account.customer_id);

/** FAILED_PRECONDITION (LIMIT_ABOVE_MAXIMUM) for a daily withdrawal limit above the product's maximum. */
function assertWithinMaximum(dailyWithdrawalLimit: string, limits: SettingsLimits, accountId?: bigint) {
  if (!money(dailyWithdrawalLimit).greaterThan(limits.customerMaxDailyWithdrawal)) return;
  throw domainError(
    Code.FailedPrecondition,
    "LIMIT_ABOVE_MAXIMUM",
    `the daily withdrawal limit may be raised to at most ${limits.customerMaxDailyWithdrawal}; staff can set a higher one`,
    {
      ...(accountId !== undefined ? { account_id: String(accountId) } : {}),
      maximum: limits.customerMaxDailyWithdrawal,
    },
  );
}

/**
 * Opens an ACTIVE account with a zero balance for a KYC-verified customer. A customer opens
 * accounts only for themselves and may not set an overdraft limit.
 */
export async function openAccount(
  tx: CommonQueryMethods,
  principal: Principal,
  req: OpenAccountRequest,
  actor: string,
  limits: SettingsLimits,
): Promise<{ account: AccountRow; settings: SettingsRow }> {
  requireCustomerAccess(principal, req.customerId);
  if (req.overdraftLimit !== undefined && !isStaff(principal)) {
    throw domainError(Code.PermissionDenied, "PERMISSION_DENIED", "only staff may set an overdraft limit");
  }
  const asStaff = isStaff(principal) && !(await isOwnCustomer(tx, principal, req.customerId));
  if (req.overdraftLimit !== undefined) {
    if (!asStaff) refuseOwnRecord(principal, req.customerId);
    const threshold = limits.overdraftApprovalThreshold;
    if (threshold !== undefined && needsApproval(req.overdraftLimit, threshold)) {
      throw domainError(
        Code.FailedPrecondition,
        "APPROVAL_REQUIRED",
        `an overdraft limit above ${threshold} needs a second staff member: open the account, then ask for it with UpdateAccountSettings`,
        { threshold },
      );
    }
  }
  if (!asStaff && req.dailyWithdrawalLimit !== undefined) {
    assertWithinMaximum(req.dailyWithdrawalLimit, limits);
  }
  if (!isoCurrencies.has(req.currency)) {
    throw invalidArgument([{ field: "currency", description: "is not an ISO-4217 currency code" }]);
  }
  const customer = await findCustomer(tx, req.customerId);
  if (!customer) throw domainError(Code.NotFound, "CUSTOMER_NOT_FOUND", "no customer has this id");
  if (!(await findBranch(tx, req.branchId))) {
    throw domainError(Code.NotFound, "BRANCH_NOT_FOUND", "no branch has this id");
  }
  if (customer.kyc_status !== "VERIFIED") {
    throw domainError(
      Code.FailedPrecondition,
      "KYC_NOT_VERIFIED",
      "the customer's identity is not verified",
      {
        customer_id: String(req.customerId),
      },
    );
  }
  return createAccountRecord(
    tx,
    {
      customerId: req.customerId,
      accountType: AccountType[req.accountType] as AccountRow["account_type"],
      currency: req.currency,
      branchId: req.branchId,
    },
    {
      overdraftLimit: formatAmount(money(req.overdraftLimit ?? "0")),
      dailyWithdrawalLimit: formatAmount(money(req.dailyWithdrawalLimit ?? "1000")),
      notificationsEnabled: req.notificationsEnabled ?? true,
    },
    actor,
  );
}

/**
 * Writes a new ACTIVE account with a zero balance, its settings and its CREATED audit entry (with
 * `facts` about why it was opened, if any): what every way of opening an account shares.
 */
export async function createAccountRecord(
  tx: CommonQueryMethods,
  fields: Parameters<typeof insertAccount>[1],
  settings: Omit<SettingsValues, "accountId">,
  actor: string,
  facts: AuditValues = {},
): Promise<{ account: AccountRow; settings: SettingsRow }> {
  const account = await insertAccount(tx, fields);
  const saved = await saveSettings(tx, { accountId: account.account_id, ...settings });
  await insertAccountLog(tx, {
    accountId: account.account_id,
    changeType: "CREATED",
    oldValue: null,
    newValue: {
      account_number: account.account_number,
      account_type: account.account_type,
      currency: account.currency,
      status: account.status,
      branch_id: account.branch_id,
      balance: formatAmount(money(account.balance)),
      ...settingsAudit(saved),
      ...facts,
    },
    changedBy: actor,
  });
  return { account, settings: saved };
}

/**
 * Changes an account's status (staff only). Setting the current status changes nothing; CLOSED is
 * final; closing needs a zero balance. Postings lock the same row, so a close cannot race one.
 */
export async function changeAccountStatus(
  tx: CommonQueryMethods,
  principal: Principal,
  req: UpdateAccountStatusRequest,
  actor: string,
): Promise<AccountRow> {
  requireStaff(principal);
  const current = await accountFor(tx, principal, req.accountId, { forUpdate: true });
  if (await isOwnAccount(tx, principal, current)) refuseOwnRecord(principal, current.customer_id);
  const next = AccountStatus[req.status] as AccountStatusName;
  if (current.status === next) return current;
  if (current.status === "CLOSED") {
    throw domainError(Code.FailedPrecondition, "ACCOUNT_CLOSED", "the account is closed", {
      account_id: String(req.accountId),
    });
  }
  if (next === "CLOSED" && !money(current.balance).isZero()) {
    throw domainError(
      Code.FailedPrecondition,
      "BALANCE_NOT_ZERO",
      "only an account with a zero balance can be closed",
      {
        account_id: String(req.accountId),
      },
    );
  }
  const row = await updateAccountStatus(tx, req.accountId, next);
  await insertAccountLog(tx, {
    accountId: req.accountId,
    changeType: next === "CLOSED" ? "CLOSED" : "STATUS_CHANGED",
    oldValue: { status: current.status },
    newValue: { status: next, reason: req.reason },
    changedBy: actor,
  });
  return row;
}

/** The settings of an account the caller may see. */
export async function accountSettings(
  db: CommonQueryMethods,
  principal: Principal,
  accountId: bigint,
): Promise<SettingsRow> {
  await accountFor(db, principal, accountId);
  return findSettings(db, accountId);
}

/** The balance of an account the caller may see, read with its overdraft limit in one statement. */
export async function accountBalance(
  db: CommonQueryMethods,
  principal: Principal,
  accountId: bigint,
): Promise<AccountBalance> {
  await accountFor(db, principal, accountId);
  return toBalance(accountId, await findBalanceView(db, accountId));
}

/** The bounds of settings changes (from the service's configuration). */
export interface SettingsLimits {
  /** The product's maximum daily withdrawal limit: a customer may not raise theirs above it. */
  customerMaxDailyWithdrawal: string;
  /** Overdraft limits above this need a second staff member; none do when unset. */
  overdraftApprovalThreshold?: string;
}

/** A settings change's outcome: the settings after it, and the approval it waits for, if any. */
export interface SettingsOutcome {
  settings: SettingsRow;
  approval?: ApprovalRow;
}

/** The settings a request (or an approved one) asks for. */
type SettingsChange = Pick<
  UpdateAccountSettingsRequest,
  "accountId" | "overdraftLimit" | "dailyWithdrawalLimit" | "notificationsEnabled"
>;

/**
 * Changes the settings a request names, on an ACTIVE account only. The overdraft limit is staff's,
 * never on their own accounts, and one above the approval threshold waits for a second staff
 * member (`approved` carries that approval out). A customer (and staff on their own accounts)
 * may change the daily withdrawal limit and notifications of their own accounts, and may lower
 * the limit but not raise it above the product's maximum. The account row is locked first (as
 * postings lock it), so the overdraft check sees a settled balance.
 */
export async function changeSettings(
  tx: CommonQueryMethods,
  principal: Principal,
  req: SettingsChange,
  actor: string,
  limits: SettingsLimits,
  approved?: ApprovalRow,
): Promise<SettingsOutcome> {
  if (req.overdraftLimit !== undefined && !isStaff(principal)) {
    throw domainError(
      Code.PermissionDenied,
      "PERMISSION_DENIED",
      "only staff may change the overdraft limit",
    );
  }
  const account = await accountFor(tx, principal, req.accountId, { forUpdate: true });
  const asStaff = isStaff(principal) && !(await isOwnAccount(tx, principal, account));
  if (req.overdraftLimit !== undefined && !asStaff) refuseOwnRecord(principal, account.customer_id);
  if (account.status !== "ACTIVE") {
    const closed = account.status === "CLOSED";
    throw domainError(
      Code.FailedPrecondition,
      closed ? "ACCOUNT_CLOSED" : "ACCOUNT_FROZEN",
      closed ? "the account is closed" : "the account is frozen: its settings cannot change",
      { account_id: String(req.accountId) },
    );
  }
  const current = await findSettings(tx, req.accountId);
  const next = {
    accountId: req.accountId,
    overdraftLimit: formatAmount(money(req.overdraftLimit ?? current.overdraft_limit)),
    dailyWithdrawalLimit: formatAmount(money(req.dailyWithdrawalLimit ?? current.daily_withdrawal_limit)),
    notificationsEnabled: req.notificationsEnabled ?? current.notifications_enabled,
  };
  // Lowering is always allowed, also below a limit staff set above the maximum.
  if (!asStaff && money(next.dailyWithdrawalLimit).greaterThan(current.daily_withdrawal_limit)) {
    assertWithinMaximum(next.dailyWithdrawalLimit, limits, req.accountId);
  }
  const overdraftTooLow =
    req.overdraftLimit !== undefined &&
    !account.is_settlement &&
    money(account.balance).lessThan(money(next.overdraftLimit).negated());
  if (overdraftTooLow) {
    throw domainError(
      Code.FailedPrecondition,
      "OVERDRAFT_LIMIT_TOO_LOW",
      "the balance is below minus the new overdraft limit",
      { account_id: String(req.accountId), balance: formatAmount(money(account.balance)) },
    );
  }
  const needsSecondStaff =
    !approved &&
    req.overdraftLimit !== undefined &&
    limits.overdraftApprovalThreshold !== undefined &&
    money(next.overdraftLimit).greaterThan(current.overdraft_limit) &&
    needsApproval(next.overdraftLimit, limits.overdraftApprovalThreshold);
  if (needsSecondStaff) {
    const approval = await requestApproval(tx, principal, {
      action: "SETTINGS_CHANGE",
      accountId: req.accountId,
      amount: next.overdraftLimit,
      currency: account.currency,
      request: {
        overdraftLimit: req.overdraftLimit ?? null,
        dailyWithdrawalLimit: req.dailyWithdrawalLimit ?? null,
        notificationsEnabled: req.notificationsEnabled ?? null,
      },
    });
    return { settings: current, approval };
  }
  const before = settingsAudit(current);
  const after: AuditValues = {
    overdraft_limit: next.overdraftLimit,
    daily_withdrawal_limit: next.dailyWithdrawalLimit,
    notifications_enabled: next.notificationsEnabled,
  };
  const changed = Object.keys(after).filter((key) => after[key] !== before[key]);
  if (changed.length === 0) return { settings: current };
  const row = await saveSettings(tx, next);
  // Four eyes: an approved change names who asked and who approved it.
  const approvedBy: AuditValues = approved
    ? {
        approval_id: String(approved.approval_id),
        requested_by: approved.requested_by,
        approved_by: approved.decided_by,
      }
    : {};
  await insertAccountLog(tx, {
    accountId: req.accountId,
    changeType: "SETTINGS_CHANGED",
    oldValue: Object.fromEntries(changed.map((key) => [key, before[key]!])),
    newValue: { ...Object.fromEntries(changed.map((key) => [key, after[key]!])), ...approvedBy },
    changedBy: actor,
  });
  return { settings: row };
}

/**
 * Approves (as the second staff member: not the one who asked, not on their own account) or
 * rejects a pending settings change of the account; an approval carries the change out once.
 */
export async function decideSettingsChange(
  tx: CommonQueryMethods,
  principal: Principal,
  accountId: bigint,
  approvalId: bigint,
  decision: "APPROVED" | "REJECTED",
  actor: string,
  limits: SettingsLimits,
): Promise<{ settings: SettingsRow; approval: ApprovalRow }> {
  const { approval, decidedNow } = await decideApproval(tx, principal, approvalId, decision, async (row) => {
    if (row.action !== "SETTINGS_CHANGE" || row.account_id !== accountId) throw approvalNotFound();
    const account = await accountFor(tx, principal, accountId, { forUpdate: true });
    if (await isOwnAccount(tx, principal, account)) refuseOwnRecord(principal, account.customer_id);
  });
  if (!decidedNow || decision === "REJECTED")
    return { settings: await findSettings(tx, accountId), approval };
  const r = approval.request as Record<string, string | boolean | null>;
  const change: SettingsChange = {
    accountId,
    overdraftLimit: (r.overdraftLimit as string | null) ?? undefined,
    dailyWithdrawalLimit: (r.dailyWithdrawalLimit as string | null) ?? undefined,
    notificationsEnabled: (r.notificationsEnabled as boolean | null) ?? undefined,
  };
  const { settings } = await changeSettings(tx, principal, change, actor, limits, approval);
  return { settings, approval };
}

/** One page of a customer's accounts, for the customer itself, staff or a mesh service. */
export async function customerAccounts(
  db: CommonQueryMethods,
  principal: Principal,
  req: ListCustomerAccountsRequest,
): Promise<Page<AccountRow>> {
  requireCustomerAccess(principal, req.customerId);
  const status =
    req.status === AccountStatus.UNSPECIFIED ? undefined : (AccountStatus[req.status] as AccountStatusName);
  return fetchIdPage(
    req,
    async (after, limit) => {
      if (!(await findCustomer(db, req.customerId))) {
        throw domainError(Code.NotFound, "CUSTOMER_NOT_FOUND", "no customer has this id");
      }
      return listCustomerAccounts(db, req.customerId, status, after, limit);
    },
    (row) => row.account_id,
  );
}
