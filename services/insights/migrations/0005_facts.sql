-- Facts, partitioned by day (see 0004). A partitioned table's primary key must contain the
-- partition key, so it is (id, date_id); the loader keeps one row per id by deleting a row whose
-- day changed before inserting it under its new day. Like dimensions, every row keeps the LSN of
-- the change it was loaded from, and a deleted source row stays here, flagged.

-- One row per transaction (Transaction service), on the UTC day it was created, booked to the
-- branch its account belonged to when the transaction was first loaded.
CREATE TABLE fact_transactions (
  transaction_id     BIGINT NOT NULL,
  date_id            DATE NOT NULL,
  account_id         BIGINT NOT NULL,
  related_account_id BIGINT,
  branch_id          INT NOT NULL,
  amount             NUMERIC(18,2) NOT NULL,
  currency           CHAR(3) NOT NULL,
  transaction_type   VARCHAR(20) NOT NULL,
  status             VARCHAR(20) NOT NULL,
  created_at         TIMESTAMPTZ NOT NULL,
  completed_at       TIMESTAMPTZ,
  is_deleted         BOOLEAN NOT NULL DEFAULT FALSE,
  source_lsn         BIGINT NOT NULL,
  loaded_at          TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  PRIMARY KEY (transaction_id, date_id)
) PARTITION BY RANGE (date_id);

CREATE INDEX idx_ft_date_txn ON fact_transactions (date_id, transaction_id);
CREATE INDEX idx_ft_account_date ON fact_transactions (account_id, date_id);
CREATE INDEX idx_ft_branch_date ON fact_transactions (branch_id, date_id);

SELECT partition_fact_table('fact_transactions');

-- One row per account and day on which its balance changed: the day's latest balance.
CREATE TABLE fact_account_balance (
  snapshot_id BIGSERIAL NOT NULL,
  account_id  BIGINT NOT NULL,
  date_id     DATE NOT NULL,
  balance     NUMERIC(18,2) NOT NULL,
  currency    CHAR(3) NOT NULL,
  -- When the source row was last changed (its updated_at), i.e. the time of this balance.
  as_of       TIMESTAMPTZ NOT NULL,
  source_lsn  BIGINT NOT NULL,
  loaded_at   TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  PRIMARY KEY (account_id, date_id)
) PARTITION BY RANGE (date_id);

CREATE INDEX idx_fab_date_acc ON fact_account_balance (date_id, account_id);

SELECT partition_fact_table('fact_account_balance');

-- One row per payment (Payment service), on the UTC day it was initiated.
CREATE TABLE fact_payments (
  payment_id     BIGINT NOT NULL,
  date_id        DATE NOT NULL,
  account_id     BIGINT NOT NULL,
  branch_id      INT NOT NULL,
  amount         NUMERIC(18,2) NOT NULL,
  currency       CHAR(3) NOT NULL,
  payment_method VARCHAR(20) NOT NULL,
  status         VARCHAR(20) NOT NULL,
  initiated_at   TIMESTAMPTZ NOT NULL,
  completed_at   TIMESTAMPTZ,
  is_deleted     BOOLEAN NOT NULL DEFAULT FALSE,
  source_lsn     BIGINT NOT NULL,
  loaded_at      TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  PRIMARY KEY (payment_id, date_id)
) PARTITION BY RANGE (date_id);

CREATE INDEX idx_fp_date_payment ON fact_payments (date_id, payment_id);
CREATE INDEX idx_fp_account_date ON fact_payments (account_id, date_id);

SELECT partition_fact_table('fact_payments');
