// Transport of GetAccountsReport: staff only, a real calendar day.
import type { HandlerContext } from "@connectrpc/connect";
import type { GetAccountsReportRequest } from "../../../gen/ts/fidalex/insights/v1/insights_service_pb.js";
import type { DatabasePool } from "../../runtime/database.js";
import { requireAnalyst } from "../analyst-access.js";
import { requestDay } from "../request-days.js";
import { getAccountsReport } from "./accounts-report-service.js";

export function createAccountsReportHandler(deps: { db: DatabasePool }) {
  return {
    getAccountsReport(request: GetAccountsReportRequest, ctx: HandlerContext) {
      requireAnalyst(ctx);
      return getAccountsReport(deps.db, requestDay("date", request.date), request);
    },
  };
}
