// Refreshes of the daily summary on their own cadence, never per load batch: every interval the
// marked days are recomputed (refresh_daily_branch_summary does nothing when no day is marked).
// A failed refresh is recorded FAILED (the service then reports the summary stale and its health
// degrades, see freshness.ts) and logged as an error; the next attempt backs off, doubling the
// interval up to a bound, and a success ends the backoff.
import type { DatabasePool } from "../../runtime/database.js";
import type { Logger } from "../../runtime/logger.js";
import { refreshDailySummary, type RefreshRun } from "./etl-repository.js";

export interface SummaryRefresher {
  /** Starts refreshing every interval. */
  start(): void;
  /** Refreshes now, after any refresh already running; resolves with the run it made, if any. */
  refresh(trigger: string): Promise<RefreshRun | undefined>;
  /** Stops the cadence and waits for a running refresh. */
  stop(): Promise<void>;
}

export interface SummaryRefresherOptions {
  db: DatabasePool;
  logger: Logger;
  /** Time between two refreshes. */
  intervalMs: number;
  /** The longest wait after failures. */
  maxBackoffMs: number;
  /** Runs before each refresh, e.g. to record the load batch since the last one. */
  beforeRefresh?: () => Promise<void>;
}

export function createSummaryRefresher(options: SummaryRefresherOptions): SummaryRefresher {
  const { db, logger } = options;
  let queue: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  let failures = 0;

  const refresh = (trigger: string): Promise<RefreshRun | undefined> => {
    const next = queue.then(async () => {
      const calledAt = Date.now();
      await options.beforeRefresh?.();
      const run = await refreshDailySummary(db, trigger);
      // With no day marked the database returns its latest run instead of making one.
      if (run.run_id === null || run.started_at === null || run.started_at.getTime() < calledAt - 1_000) {
        return undefined;
      }
      if (run.status === "FAILED") {
        failures++;
        logger.error(
          { trigger, runId: run.run_id.toString(), failures, error: run.error },
          "daily summary refresh failed; the summary is reported stale until a refresh succeeds",
        );
      } else {
        if (failures > 0) logger.info({ trigger, failures }, "daily summary refreshed again after failures");
        else logger.debug({ trigger, rows: run.rows_applied?.toString() }, "daily summary refreshed");
        failures = 0;
      }
      return run;
    });
    queue = next.catch(() => undefined);
    return next;
  };

  const schedule = () => {
    if (stopped) return;
    const delay =
      failures === 0
        ? options.intervalMs
        : Math.min(options.intervalMs * 2 ** failures, options.maxBackoffMs);
    timer = setTimeout(() => {
      refresh("loader")
        .catch((err: unknown) => {
          failures++;
          logger.error(
            { err, failures },
            "daily summary refresh could not run; the summary is reported stale",
          );
        })
        .finally(schedule);
    }, delay);
    timer.unref();
  };

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    refresh,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await queue;
    },
  };
}
