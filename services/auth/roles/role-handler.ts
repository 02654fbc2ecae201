// Transport for AssignRole and RevokeRole: permission first (so user ids do not leak), then the
// transaction.
import type { ServiceImpl } from "@connectrpc/connect";
import { AuthService } from "../../../gen/ts/fidalex/auth/v1/auth_service_pb.js";
import { requirePrincipal, requireRole } from "../../runtime/auth.js";
import type { DatabasePool } from "../../runtime/database.js";
import type { Logger } from "../../runtime/logger.js";
import { roleNameOf, toUserMessage } from "../users/user-service.js";
import { assignRole, revokeRole } from "./role-service.js";

/** AssignRole and RevokeRole, for ADMINs only. */
export function createRoleHandlers(deps: {
  db: DatabasePool;
  logger: Logger;
}): Pick<ServiceImpl<typeof AuthService>, "assignRole" | "revokeRole"> {
  const { db, logger } = deps;
  return {
    async assignRole(req, ctx) {
      const actor = requirePrincipal(ctx);
      requireRole(actor, "ADMIN");
      const role = roleNameOf(req.role);
      const row = await db.transaction((tx) => assignRole(tx, actor, req.userId, role));
      logger.info({ actor: actor.subject, userId: String(req.userId), role }, "role assigned");
      return { user: toUserMessage(row) };
    },

    async revokeRole(req, ctx) {
      const actor = requirePrincipal(ctx);
      requireRole(actor, "ADMIN");
      const role = roleNameOf(req.role);
      const row = await db.transaction((tx) => revokeRole(tx, actor, req.userId, role));
      logger.info({ actor: actor.subject, userId: String(req.userId), role }, "role revoked");
      return { user: toUserMessage(row) };
    },
  };
}
