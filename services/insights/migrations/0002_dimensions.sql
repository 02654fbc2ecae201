-- Dimensions loaded from the Account service's change events. Every row keeps the log sequence
-- number (LSN) of the change it was last loaded from: a change is applied only if its LSN is not
-- older than the stored one, so redelivered and out-of-order events cannot move a row backwards.
-- A deleted source row stays here, flagged, because facts still refer to it.

CREATE TABLE dim_branch (
  branch_id   INT PRIMARY KEY,
  branch_name VARCHAR(100) NOT NULL,
  region      VARCHAR(50) NOT NULL,
  is_deleted  BOOLEAN NOT NULL DEFAULT FALSE,
  source_lsn  BIGINT NOT NULL,
  loaded_at   TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

-- Facts whose account has no branch (or whose account has not been loaded yet) belong here; the
-- loader moves them to the account's branch when the account arrives.
INSERT INTO dim_branch (branch_id, branch_name, region, source_lsn) VALUES (0, 'Unassigned', '', -1);

CREATE TABLE dim_account (
  account_id   BIGINT PRIMARY KEY,
  customer_id  BIGINT NOT NULL,
  account_type VARCHAR(20) NOT NULL,
  currency     CHAR(3) NOT NULL,
  -- 0 (Unassigned) when the source row names no branch.
  branch_id    INT NOT NULL DEFAULT 0,
  status       VARCHAR(20) NOT NULL,
  opened_at    TIMESTAMPTZ NOT NULL,
  opened_year  SMALLINT NOT NULL,
  closed_at    TIMESTAMPTZ,
  -- The latest balance loaded; the daily history is in fact_account_balance.
  balance      NUMERIC(18,2) NOT NULL,
  is_deleted   BOOLEAN NOT NULL DEFAULT FALSE,
  source_lsn   BIGINT NOT NULL,
  loaded_at    TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_dim_account_cust ON dim_account (customer_id);
CREATE INDEX idx_dim_account_branch ON dim_account (branch_id);

CREATE TABLE dim_customer (
  customer_id  BIGINT PRIMARY KEY,
  created_at   TIMESTAMPTZ NOT NULL,
  -- The UTC day of created_at: the day the customer signed up.
  created_date DATE NOT NULL,
  is_deleted   BOOLEAN NOT NULL DEFAULT FALSE,
  source_lsn   BIGINT NOT NULL,
  loaded_at    TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_dim_customer_created ON dim_customer (created_date);
