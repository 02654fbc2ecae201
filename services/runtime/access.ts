// Authorization: what a verified principal may reach. Every service checks it itself, also for
// calls that did not come through Envoy, and checks permission before existence, so that a
// customer cannot tell another customer's ids from ids that do not exist.
import { Code, type ConnectError } from "@connectrpc/connect";
import type { Principal, RoleName } from "./auth.js";
import { domainError } from "./errors.js";

/** Whether the principal is bank staff (TELLER or ADMIN). */
export function isStaff(principal: Principal): boolean {
  return principal.roles.has("TELLER") || principal.roles.has("ADMIN");
}

/** Whether the principal acts for the bank (staff, or a mesh service) and so reaches every customer. */
export function actsForBank(principal: Principal): boolean {
  return isStaff(principal) || principal.roles.has("SERVICE");
}

/** The refusal for something the caller may not reach; the same whether or not it exists. */
export function permissionDenied(what: string): ConnectError {
  return domainError(Code.PermissionDenied, "PERMISSION_DENIED", `the caller may not reach this ${what}`);
}

/** Throws PERMISSION_DENIED unless the principal holds one of the roles. */
export function requireRole(principal: Principal, ...roles: RoleName[]): void {
  if (!roles.some((role) => principal.roles.has(role))) {
    throw domainError(Code.PermissionDenied, "PERMISSION_DENIED", "the caller may not do this");
  }
}

/** Throws PERMISSION_DENIED unless the principal is bank staff (TELLER or ADMIN). */
export function requireStaff(principal: Principal): void {
  requireRole(principal, "TELLER", "ADMIN");
}

/**
 * Throws PERMISSION_DENIED unless the principal acts for the bank or is the customer itself.
 * Call it before looking the resource up, so that ids of other customers do not leak.
 */
export function requireCustomerAccess(principal: Principal, customerId: bigint): void {
  if (actsForBank(principal)) return;
  if (principal.customerId === undefined || principal.customerId !== customerId) {
    throw permissionDenied("customer");
  }
}

/** Who acted, as events and cross-service audit fields name it: "user:42", or "svc:payment". */
export function actorName(principal: Principal): string {
  return principal.userId > 0n ? `user:${principal.userId}` : principal.subject;
}

/**
 * The resource (an application, a loan, …) for a caller allowed to see it. A customer gets
 * PERMISSION_DENIED alike for another customer's resource and for an id nothing has, so ids do not
 * leak; only callers who act for the bank learn that it does not exist (`notFound`).
 */
export async function reachableResource<T>(
  principal: Principal,
  what: string,
  find: () => Promise<T | null>,
  ownerOf: (resource: T) => bigint,
  notFound: () => ConnectError,
): Promise<T> {
  const all = actsForBank(principal);
  if (!all && principal.customerId === undefined) throw permissionDenied(what);
  const resource = await find();
  if (!all && (resource === null || ownerOf(resource) !== principal.customerId)) throw permissionDenied(what);
  if (resource === null) throw notFound();
  return resource;
}

/**
 * Whether the customer record (by id, and by the Auth user it is linked to when known) is the
 * principal's own: its token's customer, or the user linked to it.
 */
export function isOwnRecord(
  principal: Principal,
  customerId: bigint | null,
  linkedUserId: bigint | null = null,
): boolean {
  if (customerId !== null && principal.customerId !== undefined && principal.customerId === customerId) {
    return true;
  }
  return linkedUserId !== null && principal.userId > 0n && linkedUserId === principal.userId;
}

/**
 * Segregation of duties: staff may not act as staff on their own customer record or accounts
 * (KYC, cash, limits, status, reversals). PERMISSION_DENIED, reason SEGREGATION_OF_DUTIES.
 */
export function refuseOwnRecord(
  principal: Principal,
  customerId: bigint | null,
  linkedUserId: bigint | null = null,
): void {
  if (isOwnRecord(principal, customerId, linkedUserId)) {
    throw domainError(
      Code.PermissionDenied,
      "SEGREGATION_OF_DUTIES",
      "staff may not act on their own customer record or accounts; another staff member must",
    );
  }
}
