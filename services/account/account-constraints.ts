// The Account service's constraints whose violations a client can act on; the runtime turns
// them into these errors (withConstraintErrors), the rest into its generic mapping.
import { Code } from "@connectrpc/connect";
import type { ConstraintErrors } from "../runtime/database-errors.js";
import { domainError } from "../runtime/errors.js";

/** The client error each named constraint of the account database means. */
export const accountConstraints: ConstraintErrors = {
  idx_customers_email: () =>
    domainError(Code.AlreadyExists, "EMAIL_TAKEN", "another customer already has this email"),
  idx_customers_user_id: () =>
    domainError(Code.AlreadyExists, "CUSTOMER_ALREADY_EXISTS", "the user already has a customer record"),
  accounts_branch_id_fkey: () => domainError(Code.NotFound, "BRANCH_NOT_FOUND", "no branch has this id"),
};
