// SQL of the warehouse's freshness: the loader's as-of instant (warehouse_as_of(), migration 0008)
// and the daily summary's (view daily_summary_freshness, migration 0009), in one round trip, and
// the per-partition lag of the view warehouse_lag for the metrics and for operators (lag-report.ts).
import { z } from "zod";
import { sql, type CommonQueryMethods } from "../../runtime/database.js";

const freshnessRow = z.object({
  now: z.date(),
  as_of: z.date().nullable(),
  refreshed_at: z.date().nullable(),
  summary_as_of: z.date().nullable(),
  failures: z.bigint(),
  failing_since: z.date().nullable(),
  last_error: z.string().nullable(),
  dirty_markers: z.bigint(),
  dirty_since: z.date().nullable(),
});

/** What the warehouse says of its freshness, at the database's `now`. */
export type FreshnessRow = z.infer<typeof freshnessRow>;

export function findFreshness(db: CommonQueryMethods): Promise<FreshnessRow> {
  return db.one(sql.type(freshnessRow)`
    SELECT NOW() AS now, warehouse_as_of() AS as_of, s.refreshed_at, s.as_of AS summary_as_of, s.failures,
           s.failing_since, s.last_error, s.dirty_markers, s.dirty_since
    FROM daily_summary_freshness s
  `);
}

const partitionLagRow = z.object({
  topic: z.string(),
  partition: z.number(),
  backlog: z.bigint(),
  lag_seconds: z.number().nullable(),
});

/** Each partition's backlog (messages) and lag (seconds) as warehouse_lag shows them. */
export function findPartitionLags(db: CommonQueryMethods) {
  return db.any(sql.type(partitionLagRow)`
    SELECT topic, partition, backlog, EXTRACT(EPOCH FROM lag)::float8 AS lag_seconds FROM warehouse_lag
  `);
}

const loaderPositionRow = z.object({
  topic: z.string(),
  partition: z.number(),
  last_offset: z.bigint(),
  high_watermark: z.bigint().nullable(),
  oldest_unapplied_ts: z.date().nullable(),
  last_applied_ts: z.date().nullable(),
  lag_seconds: z.number().nullable(),
  checked_at: z.date().nullable(),
  last_applied_at: z.date(),
});

/** Each partition's position and lag, as the loader last recorded them (warehouse_lag), most lagging first. */
export function findLoaderPositions(db: CommonQueryMethods) {
  return db.any(sql.type(loaderPositionRow)`
    SELECT topic, partition, last_offset, high_watermark, oldest_unapplied_ts, last_applied_ts,
           EXTRACT(EPOCH FROM lag)::float8 AS lag_seconds, checked_at, last_applied_at
    FROM warehouse_lag
  `);
}
