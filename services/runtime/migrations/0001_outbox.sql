-- Transactional outbox: a service writes its domain events here in the same database transaction
-- as the change; Debezium's outbox event router publishes each row to the topic it names.
CREATE TABLE IF NOT EXISTS outbox (
  id            UUID PRIMARY KEY,
  aggregatetype VARCHAR(100) NOT NULL,
  aggregateid   VARCHAR(100) NOT NULL,
  type          VARCHAR(100) NOT NULL,
  topic         VARCHAR(200) NOT NULL,
  payload       JSONB NOT NULL,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX IF NOT EXISTS idx_outbox_created_at ON outbox (created_at);
