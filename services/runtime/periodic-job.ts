// A job a service runs in the background every so often (a recovery scan, a retry of pending
// links, a scheduler): one scheduled run at a time, a pause between runs, and a stop that waits
// for the runs in progress. A failed run is logged as retryable and the next one comes as
// scheduled.
import type { Logger } from "./logger.js";
import type { BackgroundWorker } from "./service.js";

/** A periodic job: started and stopped with its service, or run by hand (tests, operators). */
export interface PeriodicJob<Result> extends BackgroundWorker {
  /**
   * Runs the job now, beside any run in progress (as a second instance of the service would):
   * a job must be safe to run concurrently, e.g. by claiming its rows with SKIP LOCKED.
   */
  runOnce(): Promise<Result>;
  start(): void;
}

/** What the job is and how often it runs. */
export interface PeriodicJobOptions<Result> {
  /** What the logs call it, e.g. "recovery scan". */
  name: string;
  /** The pause between the end of one run and the start of the next. */
  intervalMs: number;
  logger: Logger;
  run(): Promise<Result>;
}

/** Creates the job; it does nothing until started or run. */
export function createPeriodicJob<Result>(options: PeriodicJobOptions<Result>): PeriodicJob<Result> {
  let timer: NodeJS.Timeout | undefined;
  const running = new Set<Promise<unknown>>();
  let stopped = true;

  const runOnce = () => {
    const run = options.run();
    const settled = run.catch(() => undefined).finally(() => running.delete(settled));
    running.add(settled);
    return run;
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      runOnce()
        .catch((err: unknown) =>
          options.logger.warn({ err }, `${options.name} failed (retryable); will retry`),
        )
        .finally(schedule);
    }, options.intervalMs);
    // A pending run must not keep the process alive on its own.
    timer.unref();
  };

  return {
    runOnce,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await Promise.all(running);
    },
  };
}
