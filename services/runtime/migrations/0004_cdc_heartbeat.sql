-- A heartbeat for change data capture. All databases of one PostgreSQL server share its WAL, and a
-- replication slot keeps every WAL segment from its confirmed position on. A slot whose database
-- sees no published change (an idle Loan or Payment database beside a busy ledger) is never
-- confirmed further, so the server keeps the busy databases' WAL for it: hundreds of megabytes an
-- hour under load, until the disk fills. Debezium's heartbeat.action.query writes this row every
-- heartbeat (debezium/connectors/*.json); the change travels through the slot like any other, and
-- the connector confirms its position. A service's CDC migration calls:
--   SELECT publish_cdc_heartbeat('dbz_payment');
CREATE OR REPLACE FUNCTION publish_cdc_heartbeat(publication text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  CREATE TABLE IF NOT EXISTS cdc_heartbeat (
    id      SMALLINT PRIMARY KEY CHECK (id = 1),
    beat_at TIMESTAMPTZ NOT NULL
  );
  IF NOT EXISTS (SELECT 1 FROM pg_publication_tables p
                  WHERE p.pubname = publication AND p.schemaname = current_schema() AND p.tablename = 'cdc_heartbeat') THEN
    EXECUTE format('ALTER PUBLICATION %I ADD TABLE cdc_heartbeat', publication);
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cdc_reader') THEN
    GRANT SELECT, INSERT, UPDATE ON cdc_heartbeat TO cdc_reader;
  END IF;
END
$$;
