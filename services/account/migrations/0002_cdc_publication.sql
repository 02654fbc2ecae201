-- What this database publishes for change data capture (Debezium, pgoutput): the outbox, whose
-- rows become domain events (customer.updated), and the tables the Insights warehouse loads.
-- Customers' personal data never leaves through CDC: the connector excludes those columns
-- (debezium/connectors/account.json) and the warehouse needs only ids, status and dates.
CREATE PUBLICATION dbz_account FOR TABLE outbox, accounts, customers, branches;

-- The change-data-capture user reads the published tables through the cdc_reader role, where the
-- environment has one (the local stack creates it; production names its own CDC user).
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cdc_reader') THEN
    GRANT SELECT ON outbox, accounts, branches TO cdc_reader;
    GRANT SELECT (customer_id, kyc_status, user_id, created_at, updated_at) ON customers TO cdc_reader;
  END IF;
END
$$;
