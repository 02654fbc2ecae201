-- Loans, from the Loan service's change events. Its tables name no currency; a row without one
-- is in USD, the bank's lending currency.

CREATE TABLE dim_loan_application (
  application_id   BIGINT PRIMARY KEY,
  customer_id      BIGINT NOT NULL,
  amount_requested NUMERIC(18,2) NOT NULL,
  currency         CHAR(3) NOT NULL,
  status           VARCHAR(20) NOT NULL,
  submitted_at     TIMESTAMPTZ NOT NULL,
  reviewed_at      TIMESTAMPTZ,
  -- The UTC day of reviewed_at: the day of the decision, if any.
  decided_date     DATE,
  is_deleted       BOOLEAN NOT NULL DEFAULT FALSE,
  source_lsn       BIGINT NOT NULL,
  loaded_at        TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_dla_decided ON dim_loan_application (decided_date);

CREATE TABLE dim_loan (
  loan_id             BIGINT PRIMARY KEY,
  application_id      BIGINT NOT NULL,
  customer_id         BIGINT NOT NULL,
  principal_amount    NUMERIC(18,2) NOT NULL,
  -- The latest outstanding balance loaded; the daily history is in fact_loan_balance.
  outstanding_balance NUMERIC(18,2) NOT NULL,
  currency            CHAR(3) NOT NULL,
  -- The day the loan was disbursed.
  start_date          DATE NOT NULL,
  end_date            DATE NOT NULL,
  status              VARCHAR(20) NOT NULL,
  created_at          TIMESTAMPTZ NOT NULL,
  is_deleted          BOOLEAN NOT NULL DEFAULT FALSE,
  source_lsn          BIGINT NOT NULL,
  loaded_at           TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_dim_loan_start ON dim_loan (start_date);

-- One row per loan and day on which it changed: the day's latest outstanding balance and status.
CREATE TABLE fact_loan_balance (
  loan_id             BIGINT NOT NULL,
  date_id             DATE NOT NULL,
  outstanding_balance NUMERIC(18,2) NOT NULL,
  currency            CHAR(3) NOT NULL,
  status              VARCHAR(20) NOT NULL,
  source_lsn          BIGINT NOT NULL,
  loaded_at           TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  PRIMARY KEY (loan_id, date_id)
);

CREATE INDEX idx_flb_date ON fact_loan_balance (date_id);

-- One row per scheduled loan repayment; paid_date is set once it is paid.
CREATE TABLE fact_loan_payments (
  payment_id     BIGINT PRIMARY KEY,
  loan_id        BIGINT NOT NULL,
  due_date       DATE NOT NULL,
  payment_amount NUMERIC(18,2) NOT NULL,
  paid_amount    NUMERIC(18,2) NOT NULL,
  paid_date      DATE,
  status         VARCHAR(20) NOT NULL,
  is_deleted     BOOLEAN NOT NULL DEFAULT FALSE,
  source_lsn     BIGINT NOT NULL,
  loaded_at      TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_flp_paid_date ON fact_loan_payments (paid_date);
CREATE INDEX idx_flp_loan ON fact_loan_payments (loan_id);
