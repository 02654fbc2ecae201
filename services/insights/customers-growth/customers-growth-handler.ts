// Transport of GetCustomersGrowth: staff only, a real calendar range.
import type { HandlerContext } from "@connectrpc/connect";
import type { DatabasePool } from "../../runtime/database.js";
import type { GetCustomersGrowthRequest } from "../../../gen/ts/fidalex/insights/v1/insights_service_pb.js";
import { requireAnalyst } from "../analyst-access.js";
import { withFreshness } from "../freshness/with-freshness.js";
import type { WarehouseFreshness } from "../freshness/warehouse-freshness.js";
import { requestRange } from "../request-days.js";
import { getCustomersGrowth } from "./customers-growth-service.js";

export function createCustomersGrowthHandler(deps: { db: DatabasePool; freshness: WarehouseFreshness }) {
  return {
    getCustomersGrowth(request: GetCustomersGrowthRequest, ctx: HandlerContext) {
      requireAnalyst(ctx);
      const range = requestRange(request.start, request.end);
      return withFreshness(deps.freshness, "tables", () =>
        getCustomersGrowth(deps.db, { ...range, granularity: request.granularity }, request),
      );
    },
  };
}
