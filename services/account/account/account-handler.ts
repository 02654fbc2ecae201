// AccountService over the transport, for accounts, their balances and settings: reads the caller,
// owns the database transaction and maps errors. The audit trail and the branch list have their
// own handlers (account-log, branch); server.ts joins them into one AccountService. The audit
// trail names the caller by its token subject ("42", "svc:loan").
import type { ServiceImpl } from "@connectrpc/connect";
import { AccountService } from "../../../gen/ts/fidalex/account/v1/account_service_pb.js";
import { requirePrincipal } from "../../runtime/auth.js";
import { toApproval } from "../../runtime/approvals.js";
import { withConstraintErrors } from "../../runtime/database-errors.js";
import type { DatabasePool } from "../../runtime/database.js";
import { accountConstraints } from "../account-constraints.js";
import {
  accountBalance,
  accountFor,
  accountSettings,
  changeAccountStatus,
  changeSettings,
  customerAccounts,
  decideSettingsChange,
  openAccount,
  type SettingsLimits,
  toAccount,
  toSettings,
} from "./account-service.js";

/** The AccountService implementation over the given database. */
export function createAccountHandlers(deps: {
  db: DatabasePool;
  limits: SettingsLimits;
}): Omit<ServiceImpl<typeof AccountService>, "listAccountLogs" | "listBranches"> {
  const { db, limits } = deps;
  return {
    async getAccount(req, ctx) {
      const principal = requirePrincipal(ctx);
      return { account: toAccount(await accountFor(db, principal, req.accountId)) };
    },

    async openAccount(req, ctx) {
      const principal = requirePrincipal(ctx);
      const opened = await withConstraintErrors(accountConstraints, () =>
        db.transaction((tx) => openAccount(tx, principal, req, principal.subject, limits)),
      );
      return { account: toAccount(opened.account), settings: toSettings(opened.settings) };
    },

    async updateAccountStatus(req, ctx) {
      const principal = requirePrincipal(ctx);
      const row = await db.transaction((tx) => changeAccountStatus(tx, principal, req, principal.subject));
      return { account: toAccount(row) };
    },

    async getAccountBalance(req, ctx) {
      const principal = requirePrincipal(ctx);
      return { accountBalance: await accountBalance(db, principal, req.accountId) };
    },

    async getAccountSettings(req, ctx) {
      const principal = requirePrincipal(ctx);
      return { settings: toSettings(await accountSettings(db, principal, req.accountId)) };
    },

    async updateAccountSettings(req, ctx) {
      const principal = requirePrincipal(ctx);
      const { settings, approval } = await db.transaction((tx) =>
        changeSettings(tx, principal, req, principal.subject, limits),
      );
      return { settings: toSettings(settings), approval: approval && toApproval(approval) };
    },

    async approveSettingsChange(req, ctx) {
      const principal = requirePrincipal(ctx);
      const { settings, approval } = await db.transaction((tx) =>
        decideSettingsChange(
          tx,
          principal,
          req.accountId,
          req.approvalId,
          "APPROVED",
          principal.subject,
          limits,
        ),
      );
      return { settings: toSettings(settings), approval: toApproval(approval) };
    },

    async rejectSettingsChange(req, ctx) {
      const principal = requirePrincipal(ctx);
      const { approval } = await db.transaction((tx) =>
        decideSettingsChange(
          tx,
          principal,
          req.accountId,
          req.approvalId,
          "REJECTED",
          principal.subject,
          limits,
        ),
      );
      return { approval: toApproval(approval) };
    },

    async listCustomerAccounts(req, ctx) {
      const principal = requirePrincipal(ctx);
      const page = await customerAccounts(db, principal, req);
      return { accounts: page.items.map(toAccount), nextPageToken: page.nextPageToken };
    },
  };
}
