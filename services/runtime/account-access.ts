// Which accounts and transactions a principal reaches, decided with the Account service's
// answers (account-directory.ts). Bank actors (staff, mesh services) reach every account; a
// customer reaches only accounts its token's customer owns, and learns nothing about others, not
// even whether they exist.
import { Code } from "@connectrpc/connect";
import { actsForBank, permissionDenied } from "./access.js";
import type { Principal } from "./auth.js";
import { domainError } from "./errors.js";
import type { AccountDirectory } from "./account-directory.js";

/** NOT_FOUND with the reason <WHAT>_NOT_FOUND, for callers allowed to learn that. */
export function notFound(what: string) {
  const reason = `${what.toUpperCase().replaceAll(" ", "_")}_NOT_FOUND`;
  return domainError(Code.NotFound, reason, `no ${what} has this id`);
}

/** The access checks over the Account service's directory. */
export interface AccountAccess {
  /** NOT_FOUND unless an account has this id. */
  requireAccount(accountId: bigint, signal?: AbortSignal): Promise<void>;
  /**
   * For a customer, PERMISSION_DENIED unless the account is theirs (whether or not it exists);
   * for a bank actor, NOT_FOUND unless it exists.
   */
  requireOwnAccount(principal: Principal, accountId: bigint, signal?: AbortSignal): Promise<void>;
  /**
   * A record of accounts (a transaction, a payment, a schedule) if the principal may read it: a
   * bank actor reads any (NOT_FOUND, reason <WHAT>_NOT_FOUND, when there is none); a customer only
   * one with an account of theirs, and gets PERMISSION_DENIED alike for another customer's record
   * and for none at all, so ids do not leak.
   */
  requireReachable<Row>(
    principal: Principal,
    row: Row | null,
    accountsOf: (row: Row) => ReadonlyArray<bigint | null>,
    what: string,
    signal?: AbortSignal,
  ): Promise<Row>;
}

/** Creates the checks. */
export function createAccountAccess(directory: AccountDirectory): AccountAccess {
  const requireAccount = async (accountId: bigint, signal?: AbortSignal) => {
    if ((await directory.ownerOf(accountId, signal)) === null) throw notFound("account");
  };
  return {
    requireAccount,
    async requireOwnAccount(principal, accountId, signal) {
      if (actsForBank(principal)) return requireAccount(accountId, signal);
      const owner = await directory.ownerOf(accountId, signal);
      if (owner === null || principal.customerId === undefined || owner !== principal.customerId) {
        throw permissionDenied("account");
      }
    },
    async requireReachable(principal, row, accountsOf, what, signal) {
      if (actsForBank(principal)) {
        if (!row) throw notFound(what);
        return row;
      }
      if (row && principal.customerId !== undefined) {
        for (const id of accountsOf(row)) {
          if (id !== null && (await directory.ownerOf(id, signal)) === principal.customerId) return row;
        }
      }
      throw permissionDenied(what);
    },
  };
}
