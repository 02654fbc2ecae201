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
export function notFound(what: "account" | "transaction") {
  return domainError(Code.NotFound, `${what.toUpperCase()}_NOT_FOUND`, `no ${what} has this id`);
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
  /** Whether a customer owns either account of a transaction. */
  customerSees(
    principal: Principal,
    accounts: ReadonlyArray<bigint | null>,
    signal?: AbortSignal,
  ): Promise<boolean>;
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
    async customerSees(principal, accounts, signal) {
      if (principal.customerId === undefined) return false;
      for (const id of accounts) {
        if (id !== null && (await directory.ownerOf(id, signal)) === principal.customerId) return true;
      }
      return false;
    },
  };
}
