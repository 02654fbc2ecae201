// The Insights service's routes: InsightsService over the warehouse, each RPC from its feature's
// handler. No I/O happens here.
import { InsightsService } from "../../gen/ts/fidalex/insights/v1/insights_service_pb.js";
import type { DatabasePool } from "../runtime/database.js";
import type { ServedRoutes } from "../runtime/service.js";
import { createAccountsReportHandler } from "./accounts-report/accounts-report-handler.js";
import { createCustomersGrowthHandler } from "./customers-growth/customers-growth-handler.js";
import { createDailySummaryHandler } from "./daily-summary/daily-summary-handler.js";
import type { InsightsLoader } from "./loader/insights-loader.js";
import { createLoansReportHandler } from "./loans-report/loans-report-handler.js";
import { createTransactionFactsHandler } from "./transaction-facts/transaction-facts-handler.js";

/** What the Insights service runs on. */
export interface InsightsDeps {
  /** The warehouse: the service's own PostgreSQL database. */
  db: DatabasePool;
  /** The CDC loader; absent when this process only serves queries (LOADER_ENABLED=false). */
  loader?: InsightsLoader;
}

/** The routes of the Insights service. */
export function insightsRoutes(deps: InsightsDeps): ServedRoutes {
  return {
    services: [InsightsService],
    routes: (router) =>
      router.service(InsightsService, {
        ...createDailySummaryHandler(deps),
        ...createTransactionFactsHandler(deps),
        ...createAccountsReportHandler(deps),
        ...createLoansReportHandler(deps),
        ...createCustomersGrowthHandler(deps),
      }),
  };
}
