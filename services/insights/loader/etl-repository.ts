// SQL of the loader's bookkeeping and scheduled work: ETL runs, the summary refresh, warehouse
// maintenance, and pg_cron jobs.
import { z } from "zod";
import { sql, type CommonQueryMethods } from "../../runtime/database.js";

/** The change events the loader applied between two refreshes, per topic and in total. */
export interface LoadRun {
  startedAt: Date;
  finishedAt: Date;
  applied: number;
  skipped: number;
  rejected: number;
  topics: Record<string, { applied: number; skipped: number; rejected: number }>;
}

/** Records a finished load batch in etl_runs. */
export async function recordLoadRun(db: CommonQueryMethods, run: LoadRun): Promise<void> {
  await db.query(sql.unsafe`
    INSERT INTO etl_runs (kind, trigger, started_at, finished_at, rows_applied, rows_skipped, rows_rejected,
                          status, details)
    VALUES ('LOAD', 'loader', ${run.startedAt.toISOString()}::timestamptz, ${run.finishedAt.toISOString()}::timestamptz,
            ${run.applied}, ${run.skipped}, ${run.rejected}, 'SUCCEEDED', ${sql.jsonb({ topics: run.topics })})
  `);
}

const refreshRun = z.object({
  run_id: z.bigint().nullable(),
  status: z.string().nullable(),
  started_at: z.date().nullable(),
  rows_applied: z.bigint().nullable(),
  error: z.string().nullable(),
});

/** A refresh as etl_runs records it (all null when there has never been one). */
export type RefreshRun = z.infer<typeof refreshRun>;

/**
 * Refreshes the days of daily_branch_summary marked since the last refresh, through the database
 * function that also records the run in etl_runs; with nothing marked it returns the latest run.
 */
export function refreshDailySummary(db: CommonQueryMethods, trigger: string) {
  return db.one(sql.type(refreshRun)`
    SELECT run_id, status, started_at, rows_applied, error FROM refresh_daily_branch_summary(${trigger})
  `);
}

/** Makes partitions ahead and trims old bookkeeping (see maintain_warehouse in the migrations). */
export async function maintainWarehouse(db: CommonQueryMethods): Promise<void> {
  await db.query(sql.unsafe`SELECT maintain_warehouse()`);
}

/** The installed pg_cron version if this database has pg_cron and we may schedule jobs. */
export async function findPgCron(db: CommonQueryMethods): Promise<string | undefined> {
  const row = await db.maybeOne(sql.type(z.object({ version: z.string(), usable: z.boolean() }))`
    SELECT e.extversion AS version,
           has_schema_privilege('cron', 'USAGE') AND has_function_privilege('cron.schedule(text,text,text)', 'EXECUTE')
             AS usable
    FROM pg_extension e
    WHERE e.extname = 'pg_cron' AND to_regnamespace('cron') IS NOT NULL
  `);
  return row?.usable ? row.version : undefined;
}

/** Creates or updates a named pg_cron job of the current user. */
export async function scheduleCronJob(
  db: CommonQueryMethods,
  name: string,
  schedule: string,
  command: string,
) {
  await db.query(sql.unsafe`SELECT cron.schedule(${name}, ${schedule}, ${command})`);
}

/** Removes a named pg_cron job of the current user, if there is one. */
export async function unscheduleCronJob(db: CommonQueryMethods, name: string) {
  await db.query(sql.unsafe`SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname = ${name}`);
}
