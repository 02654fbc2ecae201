// AccountService.ListAccountLogs over the transport.
import type { ServiceImpl } from "@connectrpc/connect";
import type { AccountService } from "../../../gen/ts/fidalex/account/v1/account_service_pb.js";
import { requirePrincipal } from "../../runtime/auth.js";
import type { DatabasePool } from "../../runtime/database.js";
import { accountLogs, toAccountLog } from "./account-log-service.js";

/** The audit-trail part of the AccountService implementation. */
export function createAccountLogHandlers(deps: {
  db: DatabasePool;
}): Pick<ServiceImpl<typeof AccountService>, "listAccountLogs"> {
  return {
    async listAccountLogs(req, ctx) {
      const page = await accountLogs(deps.db, requirePrincipal(ctx), req);
      return { logs: page.items.map(toAccountLog), nextPageToken: page.nextPageToken };
    },
  };
}
