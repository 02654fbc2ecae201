// AccountService.ListBranches over the transport.
import type { ServiceImpl } from "@connectrpc/connect";
import type { AccountService } from "../../../gen/ts/fidalex/account/v1/account_service_pb.js";
import { requirePrincipal } from "../../runtime/auth.js";
import type { DatabasePool } from "../../runtime/database.js";
import { branches, toBranch } from "./branch-service.js";

/** The branch part of the AccountService implementation; any signed-in caller may list branches. */
export function createBranchHandlers(deps: {
  db: DatabasePool;
}): Pick<ServiceImpl<typeof AccountService>, "listBranches"> {
  return {
    async listBranches(req, ctx) {
      requirePrincipal(ctx);
      const page = await branches(deps.db, req);
      return { branches: page.items.map(toBranch), nextPageToken: page.nextPageToken };
    },
  };
}
