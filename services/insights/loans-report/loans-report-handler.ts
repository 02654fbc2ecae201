// Transport of GetLoansReport: staff only, a real calendar range.
import type { HandlerContext } from "@connectrpc/connect";
import type { DatabasePool } from "../../runtime/database.js";
import type { GetLoansReportRequest } from "../../../gen/ts/fidalex/insights/v1/insights_service_pb.js";
import { requireAnalyst } from "../analyst-access.js";
import { withFreshness } from "../freshness/with-freshness.js";
import type { WarehouseFreshness } from "../freshness/warehouse-freshness.js";
import { requestRange } from "../request-days.js";
import { getLoansReport } from "./loans-report-service.js";

export function createLoansReportHandler(deps: { db: DatabasePool; freshness: WarehouseFreshness }) {
  return {
    getLoansReport(request: GetLoansReportRequest, ctx: HandlerContext) {
      requireAnalyst(ctx);
      return withFreshness(deps.freshness, "tables", () =>
        getLoansReport(deps.db, requestRange(request.start, request.end)),
      );
    },
  };
}
