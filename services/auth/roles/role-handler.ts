// Transport for AssignRole and RevokeRole: permission first (so user ids do not leak), then the
// transaction.
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import { AuthService } from "../../../gen/ts/fidalex/auth/v1/auth_service_pb.js";
import { requireRole } from "../../runtime/access.js";
import { requirePrincipal } from "../../runtime/auth.js";
import type { DatabasePool } from "../../runtime/database.js";
import type { Logger } from "../../runtime/logger.js";
import type { Role } from "../../../gen/ts/fidalex/auth/v1/user_pb.js";
import { roleNameOf, toUserMessage } from "../users/user-service.js";
import type { AccessRevocation } from "../sessions/access-revocation.js";
import { changeRole, type RoleChange } from "./role-service.js";

/** AssignRole and RevokeRole, for ADMINs only. */
export function createRoleHandlers(deps: {
  db: DatabasePool;
  revocation: AccessRevocation;
  logger: Logger;
}): Pick<ServiceImpl<typeof AuthService>, "assignRole" | "revokeRole"> {
  const { db, revocation, logger } = deps;
  const handle =
    (kind: RoleChange["kind"]) => async (req: { userId: bigint; role: Role }, ctx: HandlerContext) => {
      const actor = requirePrincipal(ctx);
      requireRole(actor, "ADMIN");
      const change = { kind, userId: req.userId, role: roleNameOf(req.role) };
      const row = await revocation.transaction(db, (tx, revoke) => changeRole(tx, actor, change, revoke));
      logger.info(
        { actor: actor.subject, userId: String(req.userId), role: change.role, kind },
        "roles changed",
      );
      return { user: toUserMessage(row) };
    };
  return { assignRole: handle("ASSIGN"), revokeRole: handle("REVOKE") };
}
