// Transport of GetDailySummary: staff only, a real calendar day.
import type { HandlerContext } from "@connectrpc/connect";
import type { DatabasePool } from "../../runtime/database.js";
import type { GetDailySummaryRequest } from "../../../gen/ts/fidalex/insights/v1/insights_service_pb.js";
import { requireAnalyst } from "../analyst-access.js";
import { requestDay } from "../request-days.js";
import { getDailySummary } from "./daily-summary-service.js";

export function createDailySummaryHandler(deps: { db: DatabasePool }) {
  return {
    getDailySummary(request: GetDailySummaryRequest, ctx: HandlerContext) {
      requireAnalyst(ctx);
      const day = requestDay("date", request.date);
      return getDailySummary(deps.db, { day, pageSize: request.pageSize, pageToken: request.pageToken });
    },
  };
}
