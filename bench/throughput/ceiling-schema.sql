-- The raw-SQL ceiling of a transfer: a schema of its own in the transaction database, so pgbench
-- runs on the same PostgreSQL instance, under the same settings (synchronous_commit, fsync) and
-- WAL as the mesh. Re-created by each benchmark run (bench/throughput/throughput-bench.ts).
DROP SCHEMA IF EXISTS bench_ceiling CASCADE;
CREATE SCHEMA bench_ceiling;
CREATE TABLE bench_ceiling.accounts (
  account_id BIGINT PRIMARY KEY,
  balance    NUMERIC(18,2) NOT NULL
);
CREATE TABLE bench_ceiling.transactions (
  transaction_id  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id      BIGINT NOT NULL,
  related_account_id BIGINT NOT NULL,
  amount          NUMERIC(18,2) NOT NULL,
  status          VARCHAR(20) NOT NULL,
  idempotency_key TEXT NOT NULL UNIQUE,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  completed_at    TIMESTAMPTZ
);
INSERT INTO bench_ceiling.accounts SELECT g, 1000000.00 FROM generate_series(1, 100) AS g;
