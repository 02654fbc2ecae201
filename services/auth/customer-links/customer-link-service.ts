// Business rules for the user ↔ customer link the Account service sets: a user is linked to one
// customer for good, and relinking the same pair is a no-op (the call is idempotent).
import { Code } from "@connectrpc/connect";
import type { CommonQueryMethods } from "../../runtime/database.js";
import { domainError } from "../../runtime/errors.js";
import { findUserById, lockUserById, setCustomerId, type UserRow } from "../users/user-repository.js";

/**
 * Links the user to the customer. NOT_FOUND for an unknown user, FAILED_PRECONDITION
 * (ALREADY_LINKED) when the user is linked to another customer; a customer already linked to
 * another user is a unique violation the handler maps.
 */
export async function linkCustomer(
  tx: CommonQueryMethods,
  userId: bigint,
  customerId: bigint,
): Promise<UserRow> {
  const user = await lockUserById(tx, userId);
  if (!user) throw domainError(Code.NotFound, "USER_NOT_FOUND", "the user was not found");
  if (user.customer_id === customerId) return user;
  if (user.customer_id !== null) {
    throw domainError(Code.FailedPrecondition, "ALREADY_LINKED", "the user is linked to another customer");
  }
  await setCustomerId(tx, userId, customerId);
  return (await findUserById(tx, userId))!;
}
