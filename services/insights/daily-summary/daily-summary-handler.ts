// Transport of GetDailySummary: staff only, a real calendar day.
import type { HandlerContext } from "@connectrpc/connect";
import type { GetDailySummaryRequest } from "../../../gen/ts/fidalex/insights/v1/insights_service_pb.js";
import type { DatabasePool } from "../../runtime/database.js";
import { requireAnalyst } from "../analyst-access.js";
import { withFreshness } from "../freshness/with-freshness.js";
import type { WarehouseFreshness } from "../freshness/warehouse-freshness.js";
import { requestDay } from "../request-days.js";
import { getDailySummary } from "./daily-summary-service.js";

export function createDailySummaryHandler(deps: { db: DatabasePool; freshness: WarehouseFreshness }) {
  return {
    getDailySummary(request: GetDailySummaryRequest, ctx: HandlerContext) {
      requireAnalyst(ctx);
      return withFreshness(deps.freshness, "summary", () =>
        getDailySummary(deps.db, requestDay("date", request.date), request),
      );
    },
  };
}
