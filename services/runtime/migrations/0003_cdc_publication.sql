-- What a service publishes for change data capture (Debezium, pgoutput): one publication over the
-- tables it names (its outbox, and the tables the Insights warehouse loads). The change-data-
-- capture user reads them through the cdc_reader role, where the environment has one (the local
-- stack creates it; production names its own CDC user). A service's migration calls it once:
--   SELECT create_cdc_publication('dbz_payment', ARRAY['outbox', 'payments']);
CREATE OR REPLACE FUNCTION create_cdc_publication(publication text, tables text[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  table_list text := (SELECT string_agg(format('%I', name), ', ') FROM unnest(tables) AS name);
BEGIN
  EXECUTE format('CREATE PUBLICATION %I FOR TABLE %s', publication, table_list);
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cdc_reader') THEN
    EXECUTE format('GRANT SELECT ON %s TO cdc_reader', table_list);
  END IF;
END
$$;
