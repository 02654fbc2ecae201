-- Idempotent consumers: the id of every event a service has processed, recorded in the same
-- database transaction as the event's effect, so a redelivered event changes nothing.
CREATE TABLE IF NOT EXISTS processed_events (
  consumer     VARCHAR(100) NOT NULL,
  event_id     VARCHAR(100) NOT NULL,
  topic        VARCHAR(200) NOT NULL,
  processed_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  PRIMARY KEY (consumer, event_id)
);
