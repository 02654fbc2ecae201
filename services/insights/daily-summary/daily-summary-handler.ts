// Transport of GetDailySummary: staff only, a real calendar day.
import type { HandlerContext } from "@connectrpc/connect";
import type { GetDailySummaryRequest } from "../../../gen/ts/fidalex/insights/v1/insights_service_pb.js";
import type { DatabasePool } from "../../runtime/database.js";
import { requireAnalyst } from "../analyst-access.js";
import { requestDay } from "../request-days.js";
import { getDailySummary } from "./daily-summary-service.js";

export function createDailySummaryHandler(deps: { db: DatabasePool }) {
  return {
    getDailySummary(request: GetDailySummaryRequest, ctx: HandlerContext) {
      requireAnalyst(ctx);
      return getDailySummary(deps.db, requestDay("date", request.date), request);
    },
  };
}
