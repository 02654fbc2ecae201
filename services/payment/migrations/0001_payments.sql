-- The Payment service's own tables (spec: payments, payment_attempts, scheduled_payments), plus
-- what makes payments idempotent and crash-safe. Account ids are ids of the Account service: they
-- are checked through its API, never by a foreign key, because no foreign key crosses a database.
CREATE TABLE payments (
  payment_id         BIGSERIAL PRIMARY KEY,
  account_id         BIGINT NOT NULL,
  -- The client's reference, the idempotency key of CreatePayment (unique per account below).
  external_reference VARCHAR(100) NOT NULL,
  payment_method     VARCHAR(20) NOT NULL,
  amount             NUMERIC(18,2) NOT NULL,
  currency           CHAR(3) NOT NULL DEFAULT 'USD',
  status             VARCHAR(20) NOT NULL DEFAULT 'INITIATED',
  initiated_at       TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  completed_at       TIMESTAMPTZ,
  -- The beneficiary, the description and who asked for the payment.
  metadata           JSONB,
  -- A hash of the parameters that decide the payment, to tell a replay from a reuse of the
  -- reference with other parameters.
  request_fingerprint CHAR(64) NOT NULL,
  -- Where the money is: the ledger transaction that debited the account into the bank's
  -- settlement account, and the one that returned it after a failure or a return. The ledger
  -- knows both by keys made from ledger_key, unique to the payment for good (a payment id is not:
  -- a restored or recreated database starts its sequence again).
  ledger_key         UUID NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  funds_state        VARCHAR(20) NOT NULL DEFAULT 'TO_DEBIT',
  debit_transaction_id   BIGINT,
  release_transaction_id BIGINT,
  -- The ErrorInfo reason or the processor's code of a FAILED or REVERSED payment.
  failure_reason     VARCHAR(64),
  -- The processor's id of the payment once it accepted it.
  processor_reference VARCHAR(100),
  -- Processor calls made, and when the processing worker should look at the payment again.
  attempts           INTEGER NOT NULL DEFAULT 0,
  next_action_at     TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  -- Until when a COMPLETED payment is still watched for a return by the network (ACH returns
  -- arrive days later); NULL once the window has passed.
  watch_until        TIMESTAMPTZ,
  -- The schedule run that made the payment, if any.
  schedule_id        BIGINT,
  updated_at         TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  UNIQUE (account_id, external_reference)
);

ALTER TABLE payments
  ADD CONSTRAINT chk_payment_method CHECK (payment_method IN ('ACH','WIRE','CARD','EXTERNAL')),
  ADD CONSTRAINT chk_payment_status CHECK (status IN ('INITIATED','PENDING','COMPLETED','FAILED','REVERSED')),
  ADD CONSTRAINT chk_payment_amount CHECK (amount > 0),
  -- TO_DEBIT: the debit is not known to have happened; DEBITED: the money is in the settlement
  -- account; TO_RELEASE: it must go back to the account; RELEASED: it went back; NONE: never
  -- debited (refused by the ledger).
  ADD CONSTRAINT chk_payment_funds CHECK (funds_state IN ('TO_DEBIT','DEBITED','TO_RELEASE','RELEASED','NONE')),
  ADD CONSTRAINT chk_payment_completed CHECK ((status IN ('INITIATED','PENDING')) = (completed_at IS NULL));

CREATE INDEX idx_payments_acc_status ON payments (account_id, status);
CREATE INDEX idx_payments_initiated_at ON payments (initiated_at);
-- Newest-first pages of one account's payments.
CREATE INDEX idx_payments_acc_page ON payments (account_id, initiated_at DESC, payment_id DESC);
-- The processing worker's scan: payments with work left (not final, money still to move, or a
-- completed payment still watched for a return).
CREATE INDEX idx_payments_work ON payments (next_action_at)
  WHERE status IN ('INITIATED','PENDING') OR funds_state IN ('TO_DEBIT','TO_RELEASE') OR watch_until IS NOT NULL;

CREATE TABLE payment_attempts (
  attempt_id       BIGSERIAL PRIMARY KEY,
  payment_id       BIGINT NOT NULL REFERENCES payments (payment_id) ON DELETE CASCADE,
  attempt_ts       TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  status           VARCHAR(20) NOT NULL,
  response_code    VARCHAR(50),
  response_message TEXT
);

ALTER TABLE payment_attempts
  ADD CONSTRAINT chk_pa_status CHECK (status IN ('REQUESTED','PROCESSING','SUCCESS','FAILED'));

CREATE INDEX idx_pa_payment ON payment_attempts (payment_id);

CREATE TABLE scheduled_payments (
  schedule_id     BIGSERIAL PRIMARY KEY,
  account_id      BIGINT NOT NULL,
  amount          NUMERIC(18,2) NOT NULL,
  currency        CHAR(3) NOT NULL DEFAULT 'USD',
  frequency       VARCHAR(10) NOT NULL,
  next_run_date   DATE NOT NULL,
  end_date        DATE,
  is_active       BOOLEAN NOT NULL DEFAULT TRUE,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at      TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  -- Additions: how each payment is sent, and the day of month (or month and day) the schedule
  -- keeps to, so that a run clamped to a short month returns to the 31st afterwards.
  payment_method  VARCHAR(20) NOT NULL,
  metadata        JSONB NOT NULL,
  anchor_date     DATE NOT NULL,
  -- Who cancelled the schedule, and when.
  cancelled_by    VARCHAR(100),
  cancelled_at    TIMESTAMPTZ
);

ALTER TABLE scheduled_payments
  ADD CONSTRAINT chk_sp_frequency CHECK (frequency IN ('DAILY','WEEKLY','MONTHLY','YEARLY')),
  ADD CONSTRAINT chk_sp_amount CHECK (amount > 0),
  ADD CONSTRAINT chk_sp_method CHECK (payment_method IN ('ACH','WIRE','CARD','EXTERNAL')),
  ADD CONSTRAINT chk_sp_dates CHECK (end_date IS NULL OR end_date >= anchor_date);

CREATE INDEX idx_sp_acc_date ON scheduled_payments (account_id, next_run_date);
-- The scheduler's scan of due schedules.
CREATE INDEX idx_sp_due ON scheduled_payments (next_run_date) WHERE is_active;

-- One row per schedule and run date: a period is paid at most once, however many schedulers
-- run and whatever crashed. The payment of the run is linked when it exists.
CREATE TABLE scheduled_payment_runs (
  schedule_id  BIGINT NOT NULL REFERENCES scheduled_payments (schedule_id) ON DELETE CASCADE,
  run_date     DATE NOT NULL,
  payment_id   BIGINT REFERENCES payments (payment_id),
  created_at   TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  PRIMARY KEY (schedule_id, run_date)
);

-- Idempotency keys of SchedulePayment, per account: the same key and request return the first
-- schedule; the same key with other parameters is refused.
CREATE TABLE schedule_requests (
  account_id          BIGINT NOT NULL,
  idempotency_key     VARCHAR(64) NOT NULL,
  request_fingerprint CHAR(64) NOT NULL,
  schedule_id         BIGINT NOT NULL REFERENCES scheduled_payments (schedule_id) ON DELETE CASCADE,
  created_at          TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  PRIMARY KEY (account_id, idempotency_key)
);
