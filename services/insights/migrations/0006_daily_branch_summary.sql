-- Transactions per day, branch and currency, pre-aggregated for the daily summary. The unique
-- index lets it be refreshed CONCURRENTLY, so readers never wait for a refresh.
CREATE MATERIALIZED VIEW mv_daily_branch_summary AS
SELECT date_id,
       branch_id,
       currency,
       COUNT(*)::bigint AS total_transactions,
       SUM(amount)::numeric(18,2) AS total_volume,
       COALESCE(SUM(amount) FILTER (WHERE status = 'SUCCESS'), 0)::numeric(18,2) AS total_success_volume
FROM fact_transactions
WHERE NOT is_deleted
GROUP BY date_id, branch_id, currency;

CREATE UNIQUE INDEX idx_mv_dbs_date_branch_currency ON mv_daily_branch_summary (date_id, branch_id, currency);

-- Refreshes the view and records the run in etl_runs, also when it fails (the failure is recorded,
-- not raised, so a scheduled job keeps its schedule). Returns the run.
CREATE FUNCTION refresh_daily_branch_summary(p_trigger TEXT) RETURNS etl_runs
LANGUAGE plpgsql AS $$
DECLARE
  started TIMESTAMPTZ := clock_timestamp();
  summary_rows BIGINT;
  run etl_runs;
BEGIN
  BEGIN
    REFRESH MATERIALIZED VIEW CONCURRENTLY mv_daily_branch_summary;
    SELECT COUNT(*) INTO summary_rows FROM mv_daily_branch_summary;
    INSERT INTO etl_runs (kind, trigger, started_at, finished_at, rows_applied, status)
    VALUES ('REFRESH', p_trigger, started, clock_timestamp(), summary_rows, 'SUCCEEDED')
    RETURNING * INTO run;
  EXCEPTION WHEN others THEN
    INSERT INTO etl_runs (kind, trigger, started_at, finished_at, status, error)
    VALUES ('REFRESH', p_trigger, started, clock_timestamp(), 'FAILED', SQLERRM)
    RETURNING * INTO run;
  END;
  RETURN run;
END
$$;
