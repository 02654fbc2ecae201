// The Insights service's routes: InsightsService over the warehouse, each RPC from its feature's
// handler, and GET /metrics (Prometheus text) beside them. No I/O happens here.
import { InsightsService } from "../../gen/ts/fidalex/insights/v1/insights_service_pb.js";
import type { DatabasePool } from "../runtime/database.js";
import type { ServedRoutes } from "../runtime/service.js";
import { createAccountsReportHandler } from "./accounts-report/accounts-report-handler.js";
import { createCustomersGrowthHandler } from "./customers-growth/customers-growth-handler.js";
import { createDailySummaryHandler } from "./daily-summary/daily-summary-handler.js";
import type { WarehouseFreshness } from "./freshness/warehouse-freshness.js";
import type { InsightsLoader } from "./loader/insights-loader.js";
import { createLoansReportHandler } from "./loans-report/loans-report-handler.js";
import type { MetricsRegistry } from "./metrics.js";
import { createTransactionFactsHandler } from "./transaction-facts/transaction-facts-handler.js";

/** What the Insights service runs on. */
export interface InsightsDeps {
  /** The warehouse: the service's own PostgreSQL database. */
  db: DatabasePool;
  /** The CDC loader; absent when this process only serves queries (LOADER_ENABLED=false). */
  loader?: InsightsLoader;
  /** How fresh the warehouse is: in every answer, and in the health check. */
  freshness: WarehouseFreshness;
  /** The service's metrics, served at GET /metrics. */
  metrics: MetricsRegistry;
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
    fallback(req, res) {
      if (req.method === "GET" && req.url === "/metrics") {
        deps.metrics.render().then(
          (text) => {
            res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
            res.end(text);
          },
          () => {
            res.writeHead(500, { "content-type": "text/plain" });
            res.end("metrics unavailable\n");
          },
        );
        return;
      }
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found\n");
    },
  };
}
