// Transport of ListTransactionFacts: staff only, a real calendar range.
import type { HandlerContext } from "@connectrpc/connect";
import type { ListTransactionFactsRequest } from "../../../gen/ts/fidalex/insights/v1/insights_service_pb.js";
import type { DatabasePool } from "../../runtime/database.js";
import { requireAnalyst } from "../analyst-access.js";
import { withFreshness } from "../freshness/with-freshness.js";
import type { WarehouseFreshness } from "../freshness/warehouse-freshness.js";
import { requestRange } from "../request-days.js";
import { listTransactionFacts } from "./transaction-facts-service.js";

export function createTransactionFactsHandler(deps: { db: DatabasePool; freshness: WarehouseFreshness }) {
  return {
    listTransactionFacts(request: ListTransactionFactsRequest, ctx: HandlerContext) {
      requireAnalyst(ctx);
      const range = requestRange(request.start, request.end);
      return withFreshness(deps.freshness, "tables", () =>
        listTransactionFacts(deps.db, { ...range, branchId: request.branchId }, request),
      );
    },
  };
}
