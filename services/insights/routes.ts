// The InsightsService routes: each RPC from its feature's handler.
import type { ConnectRouter } from "@connectrpc/connect";
import type { DatabasePool } from "../runtime/database.js";
import { InsightsService } from "../../gen/ts/fidalex/insights/v1/insights_service_pb.js";
import { createAccountsReportHandler } from "./accounts-report/accounts-report-handler.js";
import { createCustomersGrowthHandler } from "./customers-growth/customers-growth-handler.js";
import { createDailySummaryHandler } from "./daily-summary/daily-summary-handler.js";
import { createLoansReportHandler } from "./loans-report/loans-report-handler.js";
import { createTransactionFactsHandler } from "./transaction-facts/transaction-facts-handler.js";

export function insightsRoutes(deps: { db: DatabasePool }) {
  return (router: ConnectRouter) =>
    router.service(InsightsService, {
      ...createDailySummaryHandler(deps),
      ...createTransactionFactsHandler(deps),
      ...createAccountsReportHandler(deps),
      ...createLoansReportHandler(deps),
      ...createCustomersGrowthHandler(deps),
    });
}
