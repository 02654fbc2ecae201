// Transport of GetAccountsReport: staff only, a real calendar day.
import type { HandlerContext } from "@connectrpc/connect";
import type { GetAccountsReportRequest } from "../../../gen/ts/fidalex/insights/v1/insights_service_pb.js";
import type { DatabasePool } from "../../runtime/database.js";
import { requireAnalyst } from "../analyst-access.js";
import { withFreshness } from "../freshness/with-freshness.js";
import type { WarehouseFreshness } from "../freshness/warehouse-freshness.js";
import { requestDay } from "../request-days.js";
import { getAccountsReport } from "./accounts-report-service.js";

export function createAccountsReportHandler(deps: { db: DatabasePool; freshness: WarehouseFreshness }) {
  return {
    getAccountsReport(request: GetAccountsReportRequest, ctx: HandlerContext) {
      requireAnalyst(ctx);
      return withFreshness(deps.freshness, "tables", () =>
        getAccountsReport(deps.db, requestDay("date", request.date), request),
      );
    },
  };
}
