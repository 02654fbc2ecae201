-- The payment database's change data capture: the outbox, whose rows become payment.processed
-- events, and the payments the Insights warehouse loads.
SELECT create_cdc_publication('dbz_payment', ARRAY['outbox', 'payments']);
