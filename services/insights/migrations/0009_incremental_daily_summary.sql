-- The daily summary becomes a table kept by an incremental refresh, with unbounded sums.
--
-- mv_daily_branch_summary summed into NUMERIC(18,2): one day's volume above 10^16 (a few deposits
-- of the largest amount the contract allows) made every refresh fail with "numeric field
-- overflow". And each REFRESH MATERIALIZED VIEW recomputed every day of the warehouse, so its cost
-- grew with the history. Now:
--   * daily_branch_summary holds the same rows; its sums are NUMERIC without a bound.
--   * The loader marks the days whose facts it changed in summary_dirty_days (one row per day and
--     source partition, so that concurrent batches never wait on each other's marker).
--   * refresh_daily_branch_summary() recomputes only the marked days, in one transaction: readers
--     see the old rows or the new ones, never a mix. A marker changed while the refresh ran stays
--     for the next one.
--   * Every run is recorded in etl_runs, with the warehouse's as-of instant it covers; a failed one
--     is recorded FAILED with its error, which the service reports as a stale summary.

DROP MATERIALIZED VIEW mv_daily_branch_summary;

CREATE TABLE daily_branch_summary (
  date_id              DATE NOT NULL,
  branch_id            INT NOT NULL,
  currency             CHAR(3) NOT NULL,
  total_transactions   BIGINT NOT NULL,
  total_volume         NUMERIC NOT NULL,
  total_success_volume NUMERIC NOT NULL,
  PRIMARY KEY (date_id, branch_id, currency)
);

INSERT INTO daily_branch_summary
SELECT date_id, branch_id, currency, COUNT(*), SUM(amount),
       COALESCE(SUM(amount) FILTER (WHERE status = 'SUCCESS'), 0)
FROM fact_transactions
WHERE NOT is_deleted
GROUP BY date_id, branch_id, currency;

CREATE SEQUENCE summary_dirty_version;

CREATE TABLE summary_dirty_days (
  date_id   DATE NOT NULL,
  -- The loader's partition that changed facts of the day, e.g. "cdc.transaction.public.transactions/2".
  source    VARCHAR(220) NOT NULL,
  -- Changes on every marking; the refresh removes a marker only if it is unchanged.
  version   BIGINT NOT NULL DEFAULT nextval('summary_dirty_version'),
  -- When the day was first marked since its last refresh.
  marked_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  PRIMARY KEY (date_id, source)
);

ALTER TABLE etl_runs ADD COLUMN data_as_of TIMESTAMPTZ;
COMMENT ON COLUMN etl_runs.data_as_of IS
  'REFRESH: the warehouse as-of instant (warehouse_as_of()) when the run began: the summary it made holds every change committed before it';
CREATE INDEX idx_etl_runs_kind_status ON etl_runs (kind, status, run_id);

DROP FUNCTION refresh_daily_branch_summary(TEXT);

-- Recomputes the summary rows of the marked days and records the run in etl_runs, also when it
-- fails (recorded, not raised: the caller reports the summary stale and tries again later).
-- With nothing marked, or while another call refreshes, it does nothing and returns the latest
-- run (a summary with no marked day is as fresh as the warehouse).
CREATE FUNCTION refresh_daily_branch_summary(p_trigger TEXT) RETURNS etl_runs
LANGUAGE plpgsql AS $$
DECLARE
  started  TIMESTAMPTZ := clock_timestamp();
  as_of    TIMESTAMPTZ;
  dates    DATE[];
  sources  TEXT[];
  versions BIGINT[];
  days     DATE[];
  written  BIGINT;
  run      etl_runs;
BEGIN
  -- A refresh waiting on a lock is a refresh that fails visibly, not one that hangs.
  PERFORM set_config('lock_timeout', '5s', true);
  IF pg_try_advisory_xact_lock(hashtext('refresh_daily_branch_summary')) THEN
    as_of := warehouse_as_of();
    SELECT array_agg(date_id), array_agg(source), array_agg(version) INTO dates, sources, versions
    FROM summary_dirty_days;
  END IF;
  IF dates IS NULL THEN
    SELECT * INTO run FROM etl_runs WHERE kind = 'REFRESH' ORDER BY run_id DESC LIMIT 1;
    RETURN run;
  END IF;
  SELECT array_agg(DISTINCT d) INTO days FROM unnest(dates) AS d;
  BEGIN
    DELETE FROM daily_branch_summary WHERE date_id = ANY (days);
    INSERT INTO daily_branch_summary
    SELECT date_id, branch_id, currency, COUNT(*), SUM(amount),
           COALESCE(SUM(amount) FILTER (WHERE status = 'SUCCESS'), 0)
    FROM fact_transactions
    WHERE date_id = ANY (days) AND NOT is_deleted
    GROUP BY date_id, branch_id, currency;
    GET DIAGNOSTICS written = ROW_COUNT;
    -- Lock the markers in the order the loader writes them, then drop those nobody changed.
    PERFORM 1 FROM summary_dirty_days m
    JOIN unnest(dates, sources, versions) AS r(date_id, source, version)
      ON m.date_id = r.date_id AND m.source = r.source
    ORDER BY m.date_id, m.source
    FOR UPDATE OF m;
    DELETE FROM summary_dirty_days m
    USING unnest(dates, sources, versions) AS r(date_id, source, version)
    WHERE m.date_id = r.date_id AND m.source = r.source AND m.version = r.version;
    INSERT INTO etl_runs (kind, trigger, started_at, finished_at, rows_applied, status, details, data_as_of)
    VALUES ('REFRESH', p_trigger, started, clock_timestamp(), written, 'SUCCEEDED',
            jsonb_build_object('days', cardinality(days)), as_of)
    RETURNING * INTO run;
  EXCEPTION WHEN others THEN
    INSERT INTO etl_runs (kind, trigger, started_at, finished_at, status, error, data_as_of)
    VALUES ('REFRESH', p_trigger, started, clock_timestamp(), 'FAILED', SQLERRM, as_of)
    RETURNING * INTO run;
  END;
  RETURN run;
END
$$;

-- The daily summary's freshness, for the service and for operators (`SELECT * FROM
-- daily_summary_freshness;`): the last successful refresh and the as-of instant the summary
-- holds, the failed refreshes since (with the latest error) and the days waiting for a refresh.
CREATE VIEW daily_summary_freshness AS
WITH last_ok AS (
  SELECT run_id, finished_at, data_as_of FROM etl_runs
  WHERE kind = 'REFRESH' AND status = 'SUCCEEDED'
  ORDER BY run_id DESC LIMIT 1
), failed AS (
  SELECT COUNT(*) AS failures, MIN(started_at) AS failing_since,
         (ARRAY_AGG(error ORDER BY run_id DESC))[1] AS last_error
  FROM etl_runs
  WHERE kind = 'REFRESH' AND status = 'FAILED' AND run_id > COALESCE((SELECT run_id FROM last_ok), 0)
), dirty AS (
  SELECT COUNT(*) AS dirty_markers, MIN(marked_at) AS dirty_since FROM summary_dirty_days
)
SELECT last_ok.finished_at AS refreshed_at,
       CASE WHEN dirty.dirty_markers = 0 THEN warehouse_as_of() ELSE last_ok.data_as_of END AS as_of,
       failed.failures,
       failed.failing_since,
       failed.last_error,
       dirty.dirty_markers,
       dirty.dirty_since
FROM dirty CROSS JOIN failed LEFT JOIN last_ok ON TRUE;
