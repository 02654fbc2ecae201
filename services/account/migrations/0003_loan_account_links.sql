-- The LOAN accounts opened for approved loans (the loan.decided consumer): one per loan of the
-- Loan service, so a redelivered or repeated decision event opens no second account.
CREATE TABLE loan_account_links (
  loan_id        BIGINT PRIMARY KEY,
  application_id BIGINT NOT NULL,
  account_id     BIGINT NOT NULL UNIQUE REFERENCES accounts (account_id),
  created_at     TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT chk_loan_account_links_ids CHECK (loan_id > 0 AND application_id > 0)
);
