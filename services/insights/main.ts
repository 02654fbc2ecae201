// The Insights service: configuration, migrations, the warehouse pool, the routes and the CDC
// loader (unless LOADER_ENABLED=false), run by services/runtime/service.ts. It listens only when
// this file is run directly.
import { defineService, serviceEntry } from "../runtime/service.js";
import { loadInsightsConfig } from "./config.js";
import { createInsightsLoader } from "./loader/insights-loader.js";
import { insightsRoutes, type InsightsDeps } from "./server.js";

export const insightsService = defineService(import.meta.url, {
  loadConfig: loadInsightsConfig,
  async dependencies({ config, logger, database }): Promise<InsightsDeps> {
    const db = await database();
    const loader = config.LOADER_ENABLED
      ? createInsightsLoader({
          db,
          logger,
          brokers: config.KAFKA_BROKERS,
          refreshIntervalSeconds: config.REFRESH_INTERVAL_SECONDS,
          refreshDebounceMs: config.REFRESH_DEBOUNCE_MS,
          missingAccountAttempts: config.MISSING_ACCOUNT_ATTEMPTS,
        })
      : undefined;
    return { db, loader };
  },
  routes: insightsRoutes,
  workers: (deps) => (deps.loader ? [deps.loader] : []),
});

export const start = serviceEntry(insightsService, import.meta.url);
