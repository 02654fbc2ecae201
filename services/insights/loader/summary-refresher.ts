// Refreshes of the daily summary: serialized, and when the loader asks after applying changes,
// debounced so that a stream of changes costs at most one refresh per minimum gap while a single
// change still shows up in the summary within moments.
import type { DatabasePool } from "../../runtime/database.js";
import type { Logger } from "../../runtime/logger.js";
import { refreshDailySummary } from "./etl-repository.js";

export interface SummaryRefresher {
  /** Asks for a refresh soon (trigger "loader"); requests within the minimum gap share one. */
  request(): void;
  /** Refreshes now, after any refresh already running. */
  refresh(trigger: string): Promise<void>;
  /** Cancels a pending request and waits for a running refresh. */
  stop(): Promise<void>;
}

export interface SummaryRefresherOptions {
  db: DatabasePool;
  logger: Logger;
  /** The least time between the starts of two requested refreshes. */
  minGapMs: number;
  /** How long a request waits for more changes to arrive before refreshing; default 200 ms. */
  settleMs?: number;
  /** Runs before each refresh, e.g. to record the load batch it covers. */
  beforeRefresh?: () => Promise<void>;
}

export function createSummaryRefresher(options: SummaryRefresherOptions): SummaryRefresher {
  const settleMs = options.settleMs ?? 200;
  let queue: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let lastStartedAt = 0;
  let stopped = false;

  const refresh = (trigger: string) => {
    queue = queue.then(async () => {
      lastStartedAt = Date.now();
      try {
        await options.beforeRefresh?.();
        const run = await refreshDailySummary(options.db, trigger);
        const fields = { trigger, runId: run.run_id.toString(), ms: Date.now() - lastStartedAt };
        if (run.status === "SUCCEEDED") {
          options.logger.debug({ ...fields, rows: run.rows_applied.toString() }, "daily summary refreshed");
        } else {
          options.logger.warn(
            { ...fields, error: run.error },
            "daily summary refresh failed; retryable, will retry",
          );
        }
      } catch (err) {
        options.logger.warn({ trigger, err }, "daily summary refresh failed; retryable, will retry");
      }
    });
    return queue;
  };

  return {
    request() {
      if (stopped || timer) return;
      // A request that arrives while a refresh runs schedules the next one, so changes committed
      // after that refresh began are not left out.
      const delay = Math.max(settleMs, lastStartedAt + options.minGapMs - Date.now());
      timer = setTimeout(() => {
        timer = undefined;
        void refresh("loader");
      }, delay);
    },
    refresh,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
      await queue;
    },
  };
}
