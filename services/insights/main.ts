// The Insights service: configuration, migrations, the warehouse pool, the routes, the CDC loader
// (unless LOADER_ENABLED=false) and the freshness worker that keeps the InsightsService's health,
// run by services/runtime/service.ts. It listens only when this file is run directly.
import { defineService, serviceEntry } from "../runtime/service.js";
import { loadInsightsConfig } from "./config.js";
import { createWarehouseFreshness } from "./freshness/warehouse-freshness.js";
import { createInsightsLoader } from "./loader/insights-loader.js";
import { MetricsRegistry } from "./metrics.js";
import { insightsRoutes, type InsightsDeps } from "./server.js";

export const insightsService = defineService(import.meta.url, {
  loadConfig: loadInsightsConfig,
  async dependencies({ config, logger, database }): Promise<InsightsDeps> {
    const db = await database();
    const metrics = new MetricsRegistry();
    const freshness = createWarehouseFreshness({
      db,
      logger,
      metrics,
      intervalMs: config.HEALTH_CHECK_INTERVAL_MS,
      policy: {
        maxLagSeconds: config.MAX_LAG_SECONDS,
        refreshFailuresUnhealthy: config.REFRESH_FAILURES_UNHEALTHY,
        startedAt: new Date(),
      },
    });
    const loader = config.LOADER_ENABLED
      ? createInsightsLoader({
          db,
          logger,
          metrics,
          brokers: config.KAFKA_BROKERS,
          refreshIntervalSeconds: config.REFRESH_INTERVAL_SECONDS,
          freshnessCheckMs: config.LOADER_CHECK_INTERVAL_MS,
        })
      : undefined;
    return { db, loader, freshness, metrics };
  },
  routes: insightsRoutes,
  workers: (deps, _ctx, health) => [
    ...(deps.loader ? [deps.loader] : []),
    deps.freshness.healthWorker(health),
  ],
});

export const start = serviceEntry(insightsService, import.meta.url);
