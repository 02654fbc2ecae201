// The warehouse's scheduled work: the daily summary refresh every REFRESH_INTERVAL_SECONDS and
// the hourly partition maintenance. pg_cron runs them inside the database when it is installed
// and the interval is one a cron schedule can express; otherwise this process runs them on timers.
import type { DatabasePool } from "../../runtime/database.js";
import type { Logger } from "../../runtime/logger.js";
import { findPgCron, maintainWarehouse, scheduleCronJob, unscheduleCronJob } from "./etl-repository.js";
import type { SummaryRefresher } from "./summary-refresher.js";

/** pg_cron job names, unique per database user. */
export const refreshJobName = "insights-refresh-daily-branch-summary";
export const maintenanceJobName = "insights-maintain-warehouse";

const maintenanceIntervalMs = 60 * 60_000;

/**
 * The cron schedule that runs a job every `seconds`, or undefined when pg_cron of that version
 * cannot express it: sub-minute schedules ("N seconds") need pg_cron 1.5; otherwise the interval
 * must be whole minutes or hours that divide an hour or a day evenly, so runs stay evenly spaced.
 */
export function cronScheduleFor(seconds: number, pgCronVersion: string): string | undefined {
  const [major = 0, minor = 0] = pgCronVersion.split(/[.-]/).map(Number);
  if (seconds < 60) return major > 1 || (major === 1 && minor >= 5) ? `${seconds} seconds` : undefined;
  if (seconds % 60 !== 0) return undefined;
  const minutes = seconds / 60;
  if (minutes === 1) return "* * * * *";
  if (minutes < 60) return 60 % minutes === 0 ? `*/${minutes} * * * *` : undefined;
  if (minutes % 60 !== 0) return undefined;
  const hours = minutes / 60;
  if (hours === 1) return "0 * * * *";
  if (hours < 24) return 24 % hours === 0 ? `0 */${hours} * * *` : undefined;
  return hours === 24 ? "0 0 * * *" : undefined;
}

export interface WarehouseJobs {
  /** Where the scheduled refresh runs. */
  readonly refreshRunsIn: "pg_cron" | "timer";
  stop(): void;
}

export async function scheduleWarehouseJobs(options: {
  db: DatabasePool;
  logger: Logger;
  refreshIntervalSeconds: number;
  refresher: SummaryRefresher;
}): Promise<WarehouseJobs> {
  const { db, logger, refreshIntervalSeconds, refresher } = options;
  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, work: () => Promise<unknown>) => {
    const timer = setInterval(() => void work(), ms);
    timer.unref();
    timers.push(timer);
  };
  const maintain = () =>
    maintainWarehouse(db).catch((err: unknown) =>
      logger.warn({ err }, "warehouse maintenance failed; retryable, will retry"),
    );

  let refreshInCron = false;
  let maintenanceInCron = false;
  const pgCron = await findPgCron(db).catch(() => undefined);
  if (pgCron) {
    try {
      await scheduleCronJob(db, maintenanceJobName, "17 * * * *", "SELECT public.maintain_warehouse()");
      maintenanceInCron = true;
      const schedule = cronScheduleFor(refreshIntervalSeconds, pgCron);
      if (schedule) {
        await scheduleCronJob(
          db,
          refreshJobName,
          schedule,
          "SELECT run_id FROM public.refresh_daily_branch_summary('pg_cron')",
        );
        refreshInCron = true;
      } else {
        // A job left by an earlier configuration would keep refreshing on the old schedule.
        await unscheduleCronJob(db, refreshJobName);
        logger.info(
          { refreshIntervalSeconds, pgCron },
          "pg_cron cannot express the refresh interval; refreshing on a timer",
        );
      }
    } catch (err) {
      logger.warn({ err }, "pg_cron scheduling failed; running scheduled work on timers");
    }
  }
  if (!refreshInCron) every(refreshIntervalSeconds * 1000, () => refresher.refresh("timer"));
  if (!maintenanceInCron) every(maintenanceIntervalMs, maintain);
  // Partitions may have run out while the service was down: make them now, whoever schedules.
  await maintain();
  logger.info(
    { refresh: refreshInCron ? "pg_cron" : "timer", maintenance: maintenanceInCron ? "pg_cron" : "timer" },
    "warehouse jobs scheduled",
  );

  return {
    refreshRunsIn: refreshInCron ? "pg_cron" : "timer",
    stop() {
      timers.forEach((timer) => clearInterval(timer));
    },
  };
}
