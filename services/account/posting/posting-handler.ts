// PostingService over the transport: only mesh services (SERVICE role) may call it.
import type { ServiceImpl } from "@connectrpc/connect";
import { PostingService } from "../../../gen/ts/fidalex/account/v1/posting_service_pb.js";
import { requireRole } from "../../runtime/access.js";
import { requirePrincipal } from "../../runtime/auth.js";
import type { DatabasePool } from "../../runtime/database.js";
import { applyPostings, checkBalanced, postingStatus } from "./posting-service.js";

/** The PostingService implementation over the given database. */
export function createPostingHandlers(deps: { db: DatabasePool }): ServiceImpl<typeof PostingService> {
  const { db } = deps;
  return {
    async applyPostings(req, ctx) {
      const principal = requirePrincipal(ctx);
      requireRole(principal, "SERVICE");
      checkBalanced(req.postings);
      const result = await applyPostings(db, principal, req);
      return { result };
    },

    async getPostingStatus(req, ctx) {
      requireRole(requirePrincipal(ctx), "SERVICE");
      return postingStatus(db, req.transactionId);
    },
  };
}
