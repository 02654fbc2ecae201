-- The loader applies each fetched batch of change events in one transaction, keeps its own
-- position per Kafka partition in cdc_offsets (written in that transaction, so an event's effect
-- and its offset commit together: exactly once, without a processed-event record per event), and
-- says how fresh the warehouse is.

-- How far each partition is applied, as the loader last found it (every few seconds):
--   high_watermark       the partition's end offset (the offset its next message will get)
--   checked_at           when the loader read it
--   oldest_unapplied_ts  source commit time of the oldest change not applied yet, when known
--   applied_as_of        every change of this partition committed at the source before this
--                        instant is applied: checked_at when nothing is left to apply, else the
--                        oldest unapplied change's commit time. For a Debezium heartbeat topic, the
--                        newest heartbeat's time: the connector had read its database's log that far.
ALTER TABLE cdc_offsets
  ADD COLUMN high_watermark      BIGINT,
  ADD COLUMN checked_at          TIMESTAMPTZ,
  ADD COLUMN oldest_unapplied_ts TIMESTAMPTZ,
  ADD COLUMN applied_as_of       TIMESTAMPTZ;

-- The instant up to which every source change is in the warehouse: the oldest of the partitions'
-- applied_as_of. NULL until the loader has reported.
CREATE FUNCTION warehouse_as_of() RETURNS TIMESTAMPTZ
LANGUAGE sql STABLE AS $$
  SELECT min(applied_as_of) FROM cdc_offsets WHERE consumer = 'insights-loader'
$$;

-- The operator's view of the loader: per topic and partition, what is applied, what is left and
-- how old the oldest change left is. `SELECT * FROM warehouse_lag;` (or npm run insights:lag).
CREATE VIEW warehouse_lag AS
SELECT topic,
       partition,
       last_offset,
       high_watermark,
       GREATEST(COALESCE(high_watermark, 0) - last_offset - 1, 0) AS backlog,
       CASE WHEN high_watermark > last_offset + 1 THEN last_offset + 1 END AS oldest_unapplied_offset,
       oldest_unapplied_ts,
       last_source_ts AS last_applied_ts,
       applied_as_of,
       NOW() - applied_as_of AS lag,
       checked_at,
       updated_at AS last_applied_at
FROM cdc_offsets
WHERE consumer = 'insights-loader'
ORDER BY NOW() - applied_as_of DESC NULLS FIRST, topic, partition;

-- The commit time of the change a fact row was loaded from: with loaded_at, the lag of each row.
ALTER TABLE fact_transactions ADD COLUMN source_ts TIMESTAMPTZ;
ALTER TABLE fact_payments ADD COLUMN source_ts TIMESTAMPTZ;

-- Accounts that facts were loaded for before the account itself (or while it had no branch):
-- their facts sit on the Unassigned branch (0) until the account arrives with a branch, which
-- moves them and removes the row. Written and read under the account's advisory lock.
CREATE TABLE parked_accounts (
  account_id BIGINT PRIMARY KEY,
  parked_at  TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

-- Facts already on Unassigned for an account the warehouse knows with a branch cannot happen from
-- here on; those loaded before (an account that arrived in the window the old loader left) move now.
UPDATE fact_transactions f SET branch_id = a.branch_id
FROM dim_account a
WHERE f.branch_id = 0 AND a.account_id = f.account_id AND a.branch_id <> 0;
UPDATE fact_payments f SET branch_id = a.branch_id
FROM dim_account a
WHERE f.branch_id = 0 AND a.account_id = f.account_id AND a.branch_id <> 0;
INSERT INTO parked_accounts (account_id)
SELECT DISTINCT account_id FROM fact_transactions WHERE branch_id = 0
UNION
SELECT DISTINCT account_id FROM fact_payments WHERE branch_id = 0
ON CONFLICT DO NOTHING;

-- The loader no longer records an id per event: its offsets are the record.
DELETE FROM processed_events WHERE consumer = 'insights-loader';
