// Business rules for role assignment: only an active ADMIN changes roles, the bank always keeps an
// active ADMIN, and a user always keeps at least one role (the contract's User.roles is never empty).
import { Code } from "@connectrpc/connect";
import type { Principal } from "../../runtime/auth.js";
import type { CommonQueryMethods } from "../../runtime/database.js";
import { domainError } from "../../runtime/errors.js";
import type { RevokeAccess } from "../sessions/access-revocation.js";
import { findUserById, lockUserById, type UserRow } from "../users/user-repository.js";
import {
  countOtherActiveHolders,
  grantRole,
  lockRoleHolders,
  withdrawRole,
  type UserRoleName,
} from "./role-repository.js";

/**
 * Refuses unless the caller is still an active ADMIN in the database: a demoted or deactivated
 * administrator's access token stays valid for minutes, and role changes are the keys to the bank.
 */
async function assertActiveAdmin(tx: CommonQueryMethods, actor: Principal): Promise<void> {
  const row = actor.userId > 0n ? await findUserById(tx, actor.userId) : null;
  if (!row || !row.is_active || !row.roles.includes("ADMIN")) {
    throw domainError(Code.PermissionDenied, "PERMISSION_DENIED", "the caller may not do this");
  }
}

const userNotFound = () => domainError(Code.NotFound, "USER_NOT_FOUND", "the user was not found");

/** Gives a user a role; a role the user holds already is a no-op. */
async function assignRole(tx: CommonQueryMethods, { userId, role }: RoleChange): Promise<UserRow> {
  if (!(await lockUserById(tx, userId))) throw userNotFound();
  await grantRole(tx, userId, role);
  return (await findUserById(tx, userId))!;
}

/**
 * Takes a role from a user; a role the user does not hold is a no-op. Refuses (LAST_ADMIN) to take
 * ADMIN from the last active administrator, and (LAST_ROLE) to leave a user without any role.
 */
async function revokeRole(
  tx: CommonQueryMethods,
  { userId, role }: RoleChange,
  revoke: RevokeAccess,
): Promise<UserRow> {
  // The role lock comes before the user lock, in every transaction that takes both.
  if (role === "ADMIN") await lockRoleHolders(tx, "ADMIN");
  const user = await lockUserById(tx, userId);
  if (!user) throw userNotFound();
  if (!user.roles.includes(role)) return user;
  if (role === "ADMIN" && (await countOtherActiveHolders(tx, "ADMIN", userId)) === 0) {
    throw domainError(Code.FailedPrecondition, "LAST_ADMIN", "the bank must keep at least one active ADMIN");
  }
  if (user.roles.length === 1) {
    throw domainError(Code.FailedPrecondition, "LAST_ROLE", "a user must keep at least one role", {
      role,
    });
  }
  await withdrawRole(tx, userId, role);
  // Tokens that still grant the role are revoked; the user's next refresh carries the roles left.
  await revoke(userId);
  return (await findUserById(tx, userId))!;
}

/** A change of one user's roles. */
export interface RoleChange {
  kind: "ASSIGN" | "REVOKE";
  userId: bigint;
  role: UserRoleName;
}

/**
 * Applies a role change for an actor who must still be an active ADMIN; returns the user after it.
 * A revoked role revokes the user's access tokens (`revoke`).
 */
export async function changeRole(
  tx: CommonQueryMethods,
  actor: Principal,
  change: RoleChange,
  revoke: RevokeAccess,
): Promise<UserRow> {
  await assertActiveAdmin(tx, actor);
  return change.kind === "ASSIGN" ? assignRole(tx, change) : revokeRole(tx, change, revoke);
}
