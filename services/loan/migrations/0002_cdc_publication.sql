-- What this database publishes for change data capture (Debezium, pgoutput): the outbox, whose
-- rows become loan.decided events, and the loan tables the Insights warehouse loads. Credit
-- reports, scores and decision logs are personal or internal and never leave through CDC; the
-- connector also leaves out the applications' free-text purpose (debezium/connectors/loan.json).
CREATE PUBLICATION dbz_loan FOR TABLE outbox, loan_applications, loan_accounts, loan_payments;

-- The change-data-capture user reads the published tables through the cdc_reader role, where the
-- environment has one (the local stack creates it; production names its own CDC user).
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cdc_reader') THEN
    GRANT SELECT ON outbox, loan_applications, loan_accounts, loan_payments TO cdc_reader;
  END IF;
END
$$;
