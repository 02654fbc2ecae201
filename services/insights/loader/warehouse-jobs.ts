// The warehouse's hourly maintenance (partitions made ahead, old bookkeeping trimmed): pg_cron
// runs it inside the database when it is installed, otherwise this process runs it on a timer.
// The daily summary is refreshed by the loader on its own cadence (summary-refresher.ts).
import type { DatabasePool } from "../../runtime/database.js";
import type { Logger } from "../../runtime/logger.js";
import { findPgCron, maintainWarehouse, scheduleCronJob, unscheduleCronJob } from "./etl-repository.js";

/** pg_cron job names, unique per database user. */
export const maintenanceJobName = "insights-maintain-warehouse";
/** The refresh job earlier versions scheduled in pg_cron; removed at start. */
export const retiredRefreshJobName = "insights-refresh-daily-branch-summary";

const maintenanceIntervalMs = 60 * 60_000;

export interface WarehouseJobs {
  /** Where the maintenance runs. */
  readonly maintenanceRunsIn: "pg_cron" | "timer";
  stop(): void;
}

export async function scheduleWarehouseJobs(options: {
  db: DatabasePool;
  logger: Logger;
}): Promise<WarehouseJobs> {
  const { db, logger } = options;
  let timer: NodeJS.Timeout | undefined;
  const maintain = () =>
    maintainWarehouse(db).catch((err: unknown) =>
      logger.warn({ err }, "warehouse maintenance failed; retryable, will retry"),
    );

  let maintenanceInCron = false;
  const pgCron = await findPgCron(db).catch(() => undefined);
  if (pgCron) {
    try {
      await scheduleCronJob(db, maintenanceJobName, "17 * * * *", "SELECT public.maintain_warehouse()");
      maintenanceInCron = true;
      await unscheduleCronJob(db, retiredRefreshJobName);
    } catch (err) {
      logger.warn({ err }, "pg_cron scheduling failed; running the maintenance on a timer");
    }
  }
  if (!maintenanceInCron) {
    timer = setInterval(() => void maintain(), maintenanceIntervalMs);
    timer.unref();
  }
  // Partitions may have run out while the service was down: make them now, whoever schedules.
  await maintain();
  logger.info({ maintenance: maintenanceInCron ? "pg_cron" : "timer" }, "warehouse maintenance scheduled");

  return {
    maintenanceRunsIn: maintenanceInCron ? "pg_cron" : "timer",
    stop() {
      clearInterval(timer);
    },
  };
}
