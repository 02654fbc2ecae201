// The warehouse's freshness in the service: each analytics answer's Freshness (read when it is
// asked), the InsightsService's health (re-assessed every few seconds: NOT_SERVING while the loader
// lags beyond its bound, the daily summary's refreshes keep failing or it falls behind; the
// server's overall status "" stays SERVING, so the edge keeps routing answers that say they are
// stale), and the metrics on freshness.
import { InsightsService } from "../../../gen/ts/fidalex/insights/v1/insights_service_pb.js";
import type { Freshness } from "../../../gen/ts/fidalex/insights/v1/freshness_pb.js";
import type { CommonQueryMethods } from "../../runtime/database.js";
import { ServingStatus, type HealthStatus } from "../../runtime/health.js";
import type { Logger } from "../../runtime/logger.js";
import type { BackgroundWorker } from "../../runtime/service.js";
import { Gauge, type MetricsRegistry } from "../metrics.js";
import { assess, freshnessOf, type AnswerSource, type FreshnessPolicy } from "./freshness.js";
import { findFreshness, findPartitionLags } from "./freshness-repository.js";

export interface WarehouseFreshness {
  /** The Freshness of an answer that reads `source`, as the warehouse says now. */
  answer(source: AnswerSource): Promise<Freshness>;
  /** The worker that keeps the InsightsService's health status current. */
  healthWorker(health: HealthStatus): BackgroundWorker;
}

export function createWarehouseFreshness(options: {
  db: CommonQueryMethods;
  logger: Logger;
  policy: FreshnessPolicy;
  metrics: MetricsRegistry;
  intervalMs: number;
}): WarehouseFreshness {
  const { db, logger, policy, metrics } = options;
  const gauge = (name: string, help: string) => metrics.add(new Gauge(name, help));
  const warehouseLag = gauge(
    "insights_warehouse_lag_seconds",
    "Seconds the warehouse lags its sources: now minus the instant before which every source change is applied.",
  );
  const summaryLag = gauge("insights_summary_lag_seconds", "Seconds the daily summary lags its sources.");
  const refreshFailures = gauge(
    "insights_summary_refresh_failures",
    "Failed refreshes of the daily summary since its last successful one.",
  );
  const healthy = gauge(
    "insights_healthy",
    "1 when the InsightsService health check answers SERVING, else 0.",
  );
  const partitionLag = gauge(
    "insights_loader_partition_lag_seconds",
    "Per topic partition: seconds since the instant before which every change of the partition is applied.",
  );
  const partitionBacklog = gauge(
    "insights_loader_partition_backlog",
    "Per topic partition: messages in Kafka the loader has not applied yet.",
  );
  let serving = true;
  metrics.onCollect(async () => {
    const row = await findFreshness(db);
    const assessment = assess(row, policy);
    warehouseLag.set([{ value: assessment.loaderLagSeconds ?? NaN }]);
    summaryLag.set([{ value: assessment.summaryLagSeconds ?? NaN }]);
    refreshFailures.set([{ value: Number(row.failures) }]);
    healthy.set([{ value: serving ? 1 : 0 }]);
    const lags = await findPartitionLags(db);
    const labels = (l: (typeof lags)[number]) => ({ topic: l.topic, partition: String(l.partition) });
    partitionLag.set(lags.map((l) => ({ labels: labels(l), value: l.lag_seconds ?? NaN })));
    partitionBacklog.set(lags.map((l) => ({ labels: labels(l), value: Number(l.backlog) })));
  });

  const service = InsightsService.typeName;
  return {
    async answer(source) {
      const row = await findFreshness(db);
      return freshnessOf(row, assess(row, policy), source);
    },
    healthWorker(health) {
      let timer: NodeJS.Timeout | undefined;
      let running: Promise<void> | undefined;
      const check = async () => {
        const assessment = assess(await findFreshness(db), policy);
        if (assessment.healthy !== serving) {
          if (assessment.healthy) logger.info({ service }, "warehouse fresh again: InsightsService SERVING");
          else {
            logger.error(
              { service, reasons: assessment.unhealthyReasons },
              "warehouse stale: InsightsService NOT_SERVING until it catches up",
            );
          }
        }
        serving = assessment.healthy;
        health.set(service, serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
      };
      const tick = () => {
        running ??= check()
          .catch((err: unknown) =>
            logger.warn({ err }, "assessing the warehouse's freshness failed; will retry"),
          )
          .finally(() => (running = undefined));
      };
      return {
        async start() {
          tick();
          await running;
          timer = setInterval(tick, options.intervalMs);
          timer.unref();
        },
        async stop() {
          clearInterval(timer);
          await running;
        },
      };
    },
  };
}
