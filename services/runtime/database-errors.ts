// Database constraint violations a client can act on, named by constraint: a service lists its
// constraints and the error each means (e.g. idx_customers_email → ALREADY_EXISTS EMAIL_TAKEN).
// Violations not listed fall through to the runtime's generic mapping (interceptors.ts).
import type { ConnectError } from "@connectrpc/connect";
import { IntegrityConstraintViolationError } from "slonik";

/** The client error each named constraint's violation means. */
export type ConstraintErrors = Readonly<Record<string, () => ConnectError>>;

/** The client error for a violation of a listed constraint, or the error unchanged. */
export function translateConstraintViolation(errors: ConstraintErrors, error: unknown): unknown {
  if (error instanceof IntegrityConstraintViolationError) {
    const known = errors[error.constraint ?? ""];
    if (known) return known();
  }
  return error;
}

/** Runs a database operation and rethrows violations of the listed constraints as client errors. */
export async function withConstraintErrors<T>(
  errors: ConstraintErrors,
  operation: () => Promise<T>,
): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw translateConstraintViolation(errors, error);
  }
}
