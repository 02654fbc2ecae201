// Who may read the warehouse: bank staff only. Every InsightsService RPC checks this first.
import type { HandlerContext } from "@connectrpc/connect";
import { requireStaff } from "../runtime/access.js";
import { requirePrincipal, type Principal } from "../runtime/auth.js";

/** The caller, if staff (TELLER or ADMIN); UNAUTHENTICATED without a token, else PERMISSION_DENIED. */
export function requireAnalyst(ctx: HandlerContext): Principal {
  const principal = requirePrincipal(ctx);
  requireStaff(principal);
  return principal;
}
