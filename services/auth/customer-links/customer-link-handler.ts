// Transport for CustomerLinkService.LinkCustomer: mesh services (SERVICE role) only.
import { Code, type ServiceImpl } from "@connectrpc/connect";
import { UniqueIntegrityConstraintViolationError } from "slonik";
import { CustomerLinkService } from "../../../gen/ts/fidalex/auth/v1/customer_link_service_pb.js";
import { requireRole } from "../../runtime/access.js";
import { requirePrincipal } from "../../runtime/auth.js";
import type { DatabasePool } from "../../runtime/database.js";
import { domainError } from "../../runtime/errors.js";
import type { Logger } from "../../runtime/logger.js";
import { toUserMessage } from "../users/user-service.js";
import { linkCustomer } from "./customer-link-service.js";

/** CustomerLinkService. */
export function createCustomerLinkHandlers(deps: {
  db: DatabasePool;
  logger: Logger;
}): ServiceImpl<typeof CustomerLinkService> {
  const { db, logger } = deps;
  return {
    async linkCustomer(req, ctx) {
      const caller = requirePrincipal(ctx);
      requireRole(caller, "SERVICE");
      try {
        const row = await db.transaction((tx) => linkCustomer(tx, req.userId, req.customerId));
        logger.info(
          { caller: caller.subject, userId: String(req.userId), customerId: String(req.customerId) },
          "customer linked",
        );
        return { user: toUserMessage(row) };
      } catch (error) {
        if (error instanceof UniqueIntegrityConstraintViolationError) {
          throw domainError(
            Code.FailedPrecondition,
            "CUSTOMER_ALREADY_LINKED",
            "the customer is linked to another user",
          );
        }
        throw error;
      }
    },
  };
}
