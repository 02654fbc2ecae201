-- What this database publishes for change data capture (Debezium, pgoutput): the outbox, whose
-- rows become transaction.completed events, and the transactions the Insights warehouse loads.
CREATE PUBLICATION dbz_transaction FOR TABLE outbox, transactions;

-- The change-data-capture user reads the published tables through the cdc_reader role, where the
-- environment has one (the local stack creates it; production names its own CDC user).
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cdc_reader') THEN
    GRANT SELECT ON outbox, transactions TO cdc_reader;
  END IF;
END
$$;
