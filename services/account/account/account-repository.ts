// SQL for accounts and their settings: functions taking the connection (pool or transaction) first.
import { z } from "zod";
import { sql, type CommonQueryMethods } from "../../runtime/database.js";

export const accountTypes = ["CHECKING", "SAVINGS", "LOAN", "CREDIT"] as const;
export type AccountTypeName = (typeof accountTypes)[number];
export const accountStatuses = ["ACTIVE", "CLOSED", "FROZEN", "PENDING"] as const;
export type AccountStatusName = (typeof accountStatuses)[number];

export const accountRow = z.object({
  account_id: z.bigint(),
  customer_id: z.bigint(),
  account_number: z.string(),
  account_type: z.enum(accountTypes),
  currency: z.string(),
  /** NUMERIC(18,2) as a decimal string. */
  balance: z.string(),
  status: z.enum(accountStatuses),
  branch_id: z.number(),
  is_settlement: z.boolean(),
  opened_at: z.date(),
  closed_at: z.date().nullable(),
  updated_at: z.date(),
});
export type AccountRow = z.infer<typeof accountRow>;

export const settingsRow = z.object({
  account_id: z.bigint(),
  overdraft_limit: z.string(),
  daily_withdrawal_limit: z.string(),
  notifications_enabled: z.boolean(),
});
export type SettingsRow = z.infer<typeof settingsRow>;

const accountColumns = sql.fragment`
  account_id, customer_id, account_number, account_type, currency, balance, status, branch_id,
  is_settlement, opened_at, closed_at, updated_at
`;
const settingsColumns = sql.fragment`account_id, overdraft_limit, daily_withdrawal_limit, notifications_enabled`;

/** Inserts an ACTIVE account with a zero balance and the next account number ("FB-00012345"). */
export async function insertAccount(
  db: CommonQueryMethods,
  account: { customerId: bigint; accountType: AccountTypeName; currency: string; branchId: number },
): Promise<AccountRow> {
  return db.one(sql.type(accountRow)`
    INSERT INTO accounts (customer_id, account_number, account_type, currency, branch_id)
    SELECT ${account.customerId}, 'FB-' || lpad(n::text, greatest(8, length(n::text)), '0'),
           ${account.accountType}, ${account.currency}, ${account.branchId}
    FROM (SELECT nextval('account_number_seq') AS n) AS next_number
    RETURNING ${accountColumns}
  `);
}

/** The settings of an account: its overdraft and daily withdrawal limits and notifications. */
export interface SettingsValues {
  accountId: bigint;
  overdraftLimit: string;
  dailyWithdrawalLimit: string;
  notificationsEnabled: boolean;
}

/** Writes an account's settings: a new account's first ones, or replacing the current ones. */
export async function saveSettings(db: CommonQueryMethods, settings: SettingsValues): Promise<SettingsRow> {
  return db.one(sql.type(settingsRow)`
    INSERT INTO account_settings (account_id, overdraft_limit, daily_withdrawal_limit, notifications_enabled)
    VALUES (${settings.accountId}, ${settings.overdraftLimit}::numeric, ${settings.dailyWithdrawalLimit}::numeric,
            ${settings.notificationsEnabled})
    ON CONFLICT (account_id) DO UPDATE SET
      overdraft_limit = EXCLUDED.overdraft_limit, daily_withdrawal_limit = EXCLUDED.daily_withdrawal_limit,
      notifications_enabled = EXCLUDED.notifications_enabled
    RETURNING ${settingsColumns}
  `);
}

/**
 * The account with this id, or null. `forUpdate` locks the row (FOR NO KEY UPDATE, the lock
 * postings take) until the transaction ends, so balance-dependent checks see a settled balance.
 */
export async function findAccount(
  db: CommonQueryMethods,
  accountId: bigint,
  options: { forUpdate?: boolean } = {},
): Promise<AccountRow | null> {
  return db.maybeOne(sql.type(accountRow)`
    SELECT ${accountColumns} FROM accounts WHERE account_id = ${accountId}
    ${options.forUpdate ? sql.fragment`FOR NO KEY UPDATE` : sql.fragment``}
  `);
}

/** The settings of an account (every account has exactly one row). */
export async function findSettings(db: CommonQueryMethods, accountId: bigint): Promise<SettingsRow> {
  return db.one(sql.type(settingsRow)`
    SELECT ${settingsColumns} FROM account_settings WHERE account_id = ${accountId}
  `);
}

export const balanceViewRow = z.object({
  balance: z.string(),
  currency: z.string(),
  overdraft_limit: z.string(),
  as_of: z.date(),
});
export type BalanceViewRow = z.infer<typeof balanceViewRow>;

/** An account's balance with its overdraft limit, read together (one snapshot). */
export async function findBalanceView(db: CommonQueryMethods, accountId: bigint): Promise<BalanceViewRow> {
  return db.one(sql.type(balanceViewRow)`
    SELECT a.balance, a.currency, s.overdraft_limit, NOW() AS as_of
    FROM accounts a JOIN account_settings s ON s.account_id = a.account_id
    WHERE a.account_id = ${accountId}
  `);
}

/** Sets an account's status; closing also stamps closed_at. */
export async function updateAccountStatus(
  db: CommonQueryMethods,
  accountId: bigint,
  status: AccountStatusName,
): Promise<AccountRow> {
  return db.one(sql.type(accountRow)`
    UPDATE accounts
    SET status = ${status}, updated_at = NOW(),
        closed_at = CASE WHEN ${status} = 'CLOSED' THEN NOW() ELSE NULL END
    WHERE account_id = ${accountId}
    RETURNING ${accountColumns}
  `);
}

/** One page of a customer's accounts after an account id, ordered by id, optionally by status. */
export async function listCustomerAccounts(
  db: CommonQueryMethods,
  customerId: bigint,
  status: AccountStatusName | undefined,
  afterId: bigint,
  limit: number,
): Promise<readonly AccountRow[]> {
  return db.any(sql.type(accountRow)`
    SELECT ${accountColumns} FROM accounts
    WHERE customer_id = ${customerId} AND account_id > ${afterId}
      ${status ? sql.fragment`AND status = ${status}` : sql.fragment``}
    ORDER BY account_id
    LIMIT ${limit}
  `);
}
