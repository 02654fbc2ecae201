-- The loader's own records: what each load batch and each summary refresh did, how far each
-- change-event partition has been applied, and how the warehouse was set up.

CREATE TABLE etl_runs (
  run_id        BIGSERIAL PRIMARY KEY,
  -- LOAD: change events applied by the loader between two refreshes; REFRESH: one refresh of
  -- mv_daily_branch_summary.
  kind          VARCHAR(20) NOT NULL CHECK (kind IN ('LOAD', 'REFRESH')),
  -- Who started it: 'loader' (after a batch), 'pg_cron', 'timer' (in-process schedule), 'manual'.
  trigger       VARCHAR(20) NOT NULL,
  started_at    TIMESTAMPTZ NOT NULL,
  finished_at   TIMESTAMPTZ,
  -- LOAD: rows changed; REFRESH: rows in the view afterwards.
  rows_applied  BIGINT NOT NULL DEFAULT 0,
  -- LOAD: events that changed nothing (an older or repeated change, a tombstone).
  rows_skipped  BIGINT NOT NULL DEFAULT 0,
  -- LOAD: malformed events sent to the dead-letter topic.
  rows_rejected BIGINT NOT NULL DEFAULT 0,
  status        VARCHAR(20) NOT NULL CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED')),
  details       JSONB,
  error         TEXT
);

CREATE INDEX idx_etl_runs_kind_started ON etl_runs (kind, started_at);

-- Per consumer and Kafka partition: the last offset applied, and the newest source LSN and commit
-- time seen. Kafka's committed offsets stay the consumer's position; this table is for watching
-- the loader's lag from SQL. It is written in the same transaction as each event's effect.
CREATE TABLE cdc_offsets (
  consumer       VARCHAR(100) NOT NULL,
  topic          VARCHAR(200) NOT NULL,
  partition      INT NOT NULL,
  last_offset    BIGINT NOT NULL,
  last_lsn       BIGINT,
  last_source_ts TIMESTAMPTZ,
  messages       BIGINT NOT NULL DEFAULT 0,
  updated_at     TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  PRIMARY KEY (consumer, topic, partition)
);

-- Facts about this warehouse's setup that code and operators can read, e.g. how facts are
-- partitioned.
CREATE TABLE warehouse_settings (
  key        VARCHAR(100) PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
