-- The Loan & Credit service's database: the spec's loan_applications, loan_accounts,
-- loan_payments, credit_reports and loan_decision_logs, with the columns the contract needs
-- (currency, payout account, score), plus the service's own bookkeeping: computed credit scores,
-- repayments with their idempotency keys, and the record of the daily delinquency runs.
-- Customer and account ids belong to the Account service: they are checked through its API, never
-- by a foreign key, because no foreign key crosses a database. Money is NUMERIC(18,2).

CREATE TABLE loan_applications (
  application_id          BIGSERIAL PRIMARY KEY,
  customer_id             BIGINT NOT NULL,
  amount_requested        NUMERIC(18,2) NOT NULL,
  -- The currency of the amount and of the loan; the Insights warehouse reads it.
  currency                CHAR(3) NOT NULL,
  term_months             INT NOT NULL,
  purpose                 TEXT,
  -- The customer's account (Account service) that receives the principal on approval.
  disbursement_account_id BIGINT NOT NULL,
  status                  VARCHAR(20) NOT NULL DEFAULT 'SUBMITTED',
  submitted_at            TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  reviewed_at             TIMESTAMPTZ,
  decision_by             VARCHAR(100),
  -- The score of the automatic assessment (300 to 850), once it has run.
  decision_score          NUMERIC(5,2),
  -- When the automatic assessment was last started; the recovery worker retries an application
  -- left SUBMITTED (the bureau or the Account service was unreachable) once this is old enough.
  assessment_attempted_at TIMESTAMPTZ,
  CONSTRAINT chk_la_status CHECK (status IN ('SUBMITTED', 'UNDER_REVIEW', 'APPROVED', 'REJECTED')),
  CONSTRAINT chk_la_amount CHECK (amount_requested > 0),
  CONSTRAINT chk_la_term CHECK (term_months BETWEEN 1 AND 480),
  CONSTRAINT chk_la_decided CHECK ((status IN ('APPROVED', 'REJECTED')) = (reviewed_at IS NOT NULL))
);

CREATE INDEX idx_la_cust_status ON loan_applications (customer_id, status);
-- Newest-first pages of one customer's applications.
CREATE INDEX idx_la_cust_page ON loan_applications (customer_id, submitted_at DESC, application_id DESC);
-- The recovery worker's scan for applications whose assessment did not finish.
CREATE INDEX idx_la_submitted ON loan_applications (assessment_attempted_at) WHERE status = 'SUBMITTED';

CREATE TABLE loan_accounts (
  loan_id                      BIGSERIAL PRIMARY KEY,
  application_id               BIGINT NOT NULL UNIQUE REFERENCES loan_applications (application_id) ON DELETE CASCADE,
  customer_id                  BIGINT NOT NULL,
  principal_amount             NUMERIC(18,2) NOT NULL,
  -- Principal still owed: the principal minus the principal parts of what was paid.
  outstanding_balance          NUMERIC(18,2) NOT NULL,
  interest_rate                NUMERIC(5,3) NOT NULL,
  currency                     CHAR(3) NOT NULL,
  start_date                   DATE NOT NULL,
  end_date                     DATE NOT NULL,
  status                       VARCHAR(20) NOT NULL DEFAULT 'ACTIVE',
  -- The payout: from the bank's settlement account of the currency (fixed at approval, so every
  -- retry sends the same transfer under the same idempotency key) to the customer's account.
  disbursement_account_id      BIGINT NOT NULL,
  settlement_account_id        BIGINT NOT NULL,
  disbursement_status          VARCHAR(20) NOT NULL DEFAULT 'PENDING',
  disbursement_transaction_id  BIGINT,
  disbursement_failure_reason  VARCHAR(64),
  disbursement_attempts        INTEGER NOT NULL DEFAULT 0,
  disbursement_last_attempt_at TIMESTAMPTZ,
  disbursed_at                 TIMESTAMPTZ,
  created_at                   TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at                   TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT chk_la_acc_status CHECK (status IN ('ACTIVE', 'CLOSED', 'DEFAULTED')),
  CONSTRAINT chk_la_acc_principal CHECK (principal_amount > 0),
  CONSTRAINT chk_la_acc_outstanding CHECK (outstanding_balance >= 0 AND outstanding_balance <= principal_amount),
  CONSTRAINT chk_la_acc_rate CHECK (interest_rate >= 0),
  CONSTRAINT chk_la_acc_dates CHECK (end_date >= start_date),
  CONSTRAINT chk_la_acc_disbursement CHECK (disbursement_status IN ('PENDING', 'DISBURSED', 'FAILED')),
  CONSTRAINT chk_la_acc_disbursed CHECK ((disbursement_status = 'DISBURSED') = (disbursed_at IS NOT NULL)),
  CONSTRAINT chk_la_acc_failure CHECK ((disbursement_status = 'FAILED') = (disbursement_failure_reason IS NOT NULL))
);

CREATE INDEX idx_la_loan_cust ON loan_accounts (customer_id);
-- The recovery worker's scan for payouts that have not settled yet.
CREATE INDEX idx_la_disbursement_pending ON loan_accounts (disbursement_last_attempt_at)
  WHERE disbursement_status = 'PENDING';

CREATE TABLE loan_payments (
  payment_id         BIGSERIAL PRIMARY KEY,
  loan_id            BIGINT NOT NULL REFERENCES loan_accounts (loan_id) ON DELETE CASCADE,
  -- 1 for the first installment of the schedule.
  installment_number INT NOT NULL,
  due_date           DATE NOT NULL,
  payment_amount     NUMERIC(18,2) NOT NULL,
  -- The split of payment_amount: a payment pays the interest part first, then the principal part.
  principal_amount   NUMERIC(18,2) NOT NULL,
  interest_amount    NUMERIC(18,2) NOT NULL,
  paid_amount        NUMERIC(18,2) NOT NULL DEFAULT 0.00,
  paid_date          DATE,
  status             VARCHAR(20) NOT NULL DEFAULT 'DUE',
  CONSTRAINT chk_lp_status CHECK (status IN ('DUE', 'PAID', 'LATE', 'DEFAULTED')),
  CONSTRAINT chk_lp_split CHECK (payment_amount = principal_amount + interest_amount),
  CONSTRAINT chk_lp_paid CHECK (paid_amount >= 0 AND paid_amount <= payment_amount),
  CONSTRAINT chk_lp_paid_status CHECK ((status = 'PAID') = (paid_amount = payment_amount)),
  CONSTRAINT chk_lp_paid_date CHECK ((status = 'PAID') = (paid_date IS NOT NULL)),
  CONSTRAINT uq_lp_installment UNIQUE (loan_id, installment_number)
);

CREATE INDEX idx_lp_loan_due ON loan_payments (loan_id, due_date);
-- The daily delinquency run's scan of unpaid installments by due date.
CREATE INDEX idx_lp_unpaid_due ON loan_payments (due_date) WHERE status IN ('DUE', 'LATE');

CREATE TABLE credit_reports (
  report_id     BIGSERIAL PRIMARY KEY,
  customer_id   BIGINT NOT NULL,
  report_source VARCHAR(100) NOT NULL,
  fetched_at    TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  -- The bureau's report exactly as it came back.
  report_data   JSONB NOT NULL
);

CREATE INDEX idx_cr_cust ON credit_reports (customer_id);
CREATE INDEX idx_cr_source ON credit_reports (report_source);
-- Containment queries on the report's contents (@>), e.g. finding a report by the bureau's own
-- reference before storing it again.
CREATE INDEX idx_cr_report_data_gin ON credit_reports USING GIN (report_data jsonb_path_ops);

CREATE TABLE loan_decision_logs (
  log_id         BIGSERIAL PRIMARY KEY,
  application_id BIGINT NOT NULL REFERENCES loan_applications (application_id) ON DELETE CASCADE,
  decision       VARCHAR(20) NOT NULL,
  -- The model version (e.g. SCORECARD_V1) or the staff member ("user:42").
  decision_by    VARCHAR(100) NOT NULL,
  decision_score NUMERIC(5,2),
  comments       TEXT,
  decision_ts    TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT chk_ldl_decision CHECK (decision IN ('AUTO_APPROVED', 'AUTO_REJECTED', 'MANUAL_APPROVED', 'MANUAL_REJECTED'))
);

CREATE INDEX idx_ldl_app ON loan_decision_logs (application_id);

-- Every score the model computed: the score, the model version, the points of each factor (the
-- reason codes a customer reads) and the features it rested on, for audit and GetCreditScore.
CREATE TABLE credit_scores (
  score_id       BIGSERIAL PRIMARY KEY,
  customer_id    BIGINT NOT NULL,
  application_id BIGINT REFERENCES loan_applications (application_id) ON DELETE CASCADE,
  report_id      BIGINT REFERENCES credit_reports (report_id),
  score          INT NOT NULL,
  model_version  VARCHAR(50) NOT NULL,
  -- [{"code", "description", "points", "max_points"}, ...], the costliest factor first.
  factors        JSONB NOT NULL,
  features       JSONB NOT NULL,
  computed_at    TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT chk_cs_score CHECK (score BETWEEN 300 AND 850)
);

CREATE INDEX idx_cs_customer ON credit_scores (customer_id, computed_at DESC, score_id DESC);

-- Repayments: one row per idempotency key of a loan, recorded PENDING before the debit is sent to
-- the Transaction service and completed (SUCCESS with how it was spread over the installments, or
-- FAILED with the refusal's reason) once its outcome is known.
CREATE TABLE loan_repayments (
  repayment_id        BIGSERIAL PRIMARY KEY,
  loan_id             BIGINT NOT NULL REFERENCES loan_accounts (loan_id) ON DELETE CASCADE,
  idempotency_key     VARCHAR(64) NOT NULL,
  request_fingerprint CHAR(64) NOT NULL,
  from_account_id     BIGINT NOT NULL,
  amount              NUMERIC(18,2) NOT NULL,
  currency            CHAR(3) NOT NULL,
  status              VARCHAR(20) NOT NULL DEFAULT 'PENDING',
  transaction_id      BIGINT,
  failure_reason      VARCHAR(64),
  -- [{"payment_id", "amount"}, ...]: what each installment received, earliest due date first.
  allocation          JSONB,
  -- Who paid (token subject), e.g. "user:42".
  initiated_by        VARCHAR(100) NOT NULL,
  attempts            INTEGER NOT NULL DEFAULT 0,
  last_attempt_at     TIMESTAMPTZ,
  created_at          TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  completed_at        TIMESTAMPTZ,
  CONSTRAINT chk_lr_status CHECK (status IN ('PENDING', 'SUCCESS', 'FAILED')),
  CONSTRAINT chk_lr_amount CHECK (amount > 0),
  CONSTRAINT chk_lr_failure CHECK ((status = 'FAILED') = (failure_reason IS NOT NULL)),
  CONSTRAINT chk_lr_allocation CHECK ((status = 'SUCCESS') = (allocation IS NOT NULL)),
  CONSTRAINT uq_lr_key UNIQUE (loan_id, idempotency_key)
);

CREATE INDEX idx_lr_pending ON loan_repayments (last_attempt_at) WHERE status = 'PENDING';

-- One row per day the delinquency run has aged the book: the UNIQUE run_date makes each day's run
-- happen once, whatever the number of instances (the row is inserted in the run's transaction).
CREATE TABLE loan_delinquency_runs (
  run_date          DATE PRIMARY KEY,
  started_at        TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  finished_at       TIMESTAMPTZ,
  installments_late INTEGER NOT NULL DEFAULT 0,
  installments_defaulted INTEGER NOT NULL DEFAULT 0,
  loans_defaulted   INTEGER NOT NULL DEFAULT 0
);
