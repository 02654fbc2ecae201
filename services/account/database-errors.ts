// The Account service's translation of database constraint violations into the errors a client
// can act on. Violations not named here fall through to the runtime's generic mapping.
import { Code } from "@connectrpc/connect";
import { ForeignKeyIntegrityConstraintViolationError, UniqueIntegrityConstraintViolationError } from "slonik";
import { domainError } from "../runtime/errors.js";

/** Returns the client-facing error for a known constraint violation, or the error unchanged. */
export function translateDatabaseError(error: unknown): unknown {
  if (error instanceof UniqueIntegrityConstraintViolationError) {
    if (error.constraint === "idx_customers_email") {
      return domainError(Code.AlreadyExists, "EMAIL_TAKEN", "another customer already has this email");
    }
    if (error.constraint === "idx_customers_user_id") {
      return domainError(
        Code.AlreadyExists,
        "CUSTOMER_ALREADY_EXISTS",
        "the user already has a customer record",
      );
    }
  }
  if (error instanceof ForeignKeyIntegrityConstraintViolationError) {
    if (error.constraint === "accounts_branch_id_fkey") {
      return domainError(Code.NotFound, "BRANCH_NOT_FOUND", "no branch has this id");
    }
  }
  return error;
}

/** Runs a database operation and rethrows its known constraint violations as client errors. */
export async function withDatabaseErrors<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw translateDatabaseError(error);
  }
}
