// Who may do what in the Account service. Authorization reads only the verified token: its roles
// and its `cid` claim (the customer the user is linked to). The customers table also records the
// linked user_id, but it is not used to authorize: a user whose token has no cid yet (the link is
// still being made, or their token predates it) reaches no customer data until a token with the
// claim is issued.
import { Code } from "@connectrpc/connect";
import { isStaff, requireRole, type Principal } from "../runtime/auth.js";
import { domainError } from "../runtime/errors.js";

/** Throws PERMISSION_DENIED unless the caller is bank staff (TELLER or ADMIN). */
export function requireStaff(principal: Principal): void {
  requireRole(principal, "TELLER", "ADMIN");
}

/** Whether the caller may reach a customer's data: staff, mesh services, or the customer itself. */
export function mayReachCustomer(principal: Principal, customerId: bigint): boolean {
  return isStaff(principal) || principal.roles.has("SERVICE") || principal.customerId === customerId;
}

/** Whether the caller reaches every customer (staff and mesh services), not only its own. */
export function reachesAllCustomers(principal: Principal): boolean {
  return isStaff(principal) || principal.roles.has("SERVICE");
}

/** The refusal for a resource the caller may not reach; the same whether or not it exists. */
export function notYours(what: string): Error {
  return domainError(Code.PermissionDenied, "PERMISSION_DENIED", `the caller may not reach this ${what}`);
}

/** Who made a change, as the audit trail records it: the token subject, e.g. "42" or "svc:loan". */
export function auditActor(principal: Principal): string {
  return principal.subject;
}

/** Who made a change, as events name it: "user:42" for a user, the subject for a service. */
export function eventActor(principal: Principal): string {
  return principal.userId > 0n ? `user:${principal.userId}` : principal.subject;
}
