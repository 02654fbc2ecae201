-- The Transaction service's own tables (spec: transactions, transaction_audit,
-- transaction_balance_snapshot). Account ids are ids of the Account service: they are checked
-- through its API, never by a foreign key, because no foreign key crosses a database.
CREATE TABLE transactions (
  transaction_id             BIGSERIAL PRIMARY KEY,
  account_id                 BIGINT NOT NULL,
  related_account_id         BIGINT,
  transaction_type           VARCHAR(20) NOT NULL,
  amount                     NUMERIC(18,2) NOT NULL,
  currency                   CHAR(3) NOT NULL DEFAULT 'USD',
  status                     VARCHAR(20) NOT NULL DEFAULT 'PENDING',
  created_at                 TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  completed_at               TIMESTAMPTZ,
  description                TEXT,
  metadata                   JSONB,
  -- The ErrorInfo reason of the rejection; set exactly when status is FAILED.
  failure_reason             VARCHAR(64),
  reversal_of_transaction_id BIGINT REFERENCES transactions (transaction_id),
  reversed_by_transaction_id BIGINT REFERENCES transactions (transaction_id),
  -- The exact postings sent to the Account service, so that a retry (a replay or the recovery
  -- worker) sends the same ones even if configuration such as the settlement account changed.
  posting_kind               VARCHAR(30) NOT NULL,
  postings                   JSONB NOT NULL,
  -- Who asked for the transaction (token subject), e.g. "user:42" or "svc:payment".
  initiated_by               VARCHAR(100) NOT NULL,
  -- When an attempt to apply the postings last ended without an outcome (a transient error);
  -- the next attempt waits for any call still in flight to settle.
  last_attempt_at            TIMESTAMPTZ,
  attempts                   INTEGER NOT NULL DEFAULT 0
);

ALTER TABLE transactions
  ADD CONSTRAINT chk_tran_type CHECK (transaction_type IN ('DEPOSIT','WITHDRAWAL','TRANSFER','FEE','REVERSAL')),
  ADD CONSTRAINT chk_tran_status CHECK (status IN ('PENDING','SUCCESS','FAILED','REVERSED')),
  ADD CONSTRAINT chk_tran_amount CHECK (amount > 0),
  ADD CONSTRAINT chk_tran_failure CHECK ((status = 'FAILED') = (failure_reason IS NOT NULL)),
  ADD CONSTRAINT chk_tran_completed CHECK ((status = 'PENDING') = (completed_at IS NULL)),
  ADD CONSTRAINT chk_tran_reversal CHECK ((transaction_type = 'REVERSAL') = (reversal_of_transaction_id IS NOT NULL));

CREATE INDEX idx_transactions_acc_status ON transactions (account_id, status);
CREATE INDEX idx_transactions_created_at ON transactions (created_at);
CREATE INDEX idx_transactions_related_acc ON transactions (related_account_id);
-- Newest-first pages of one account's transactions, on either side.
CREATE INDEX idx_transactions_acc_page ON transactions (account_id, created_at DESC, transaction_id DESC);
CREATE INDEX idx_transactions_related_page ON transactions (related_account_id, created_at DESC, transaction_id DESC)
  WHERE related_account_id IS NOT NULL;
-- The recovery worker's scan.
CREATE INDEX idx_transactions_pending ON transactions (created_at) WHERE status = 'PENDING';
-- A transaction is undone at most once: a second reversal cannot even be recorded while one is
-- pending or done (a FAILED reversal does not count, the original may be reversed later).
CREATE UNIQUE INDEX uq_transactions_reversal_of ON transactions (reversal_of_transaction_id)
  WHERE reversal_of_transaction_id IS NOT NULL AND status <> 'FAILED';

CREATE TABLE transaction_audit (
  audit_id       BIGSERIAL PRIMARY KEY,
  transaction_id BIGINT NOT NULL REFERENCES transactions (transaction_id) ON DELETE CASCADE,
  audit_event    VARCHAR(20) NOT NULL,
  old_status     VARCHAR(20),
  new_status     VARCHAR(20),
  changed_by     VARCHAR(100) NOT NULL,
  event_ts       TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

ALTER TABLE transaction_audit
  ADD CONSTRAINT chk_ta_event CHECK (audit_event IN ('CREATED','STATUS_UPDATED','REVERSED'));

CREATE INDEX idx_ta_transaction ON transaction_audit (transaction_id);

-- Balances right after a transaction's postings, as the Account service reported them.
CREATE TABLE transaction_balance_snapshot (
  snapshot_id      BIGSERIAL PRIMARY KEY,
  account_id       BIGINT NOT NULL,
  balance_snapshot NUMERIC(18,2) NOT NULL,
  snapshot_ts      TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  transaction_id   BIGINT REFERENCES transactions (transaction_id) ON DELETE CASCADE
);

CREATE INDEX idx_balance_snapshot_acc_time ON transaction_balance_snapshot (account_id, snapshot_ts);

-- Idempotency keys of the mutating RPCs, scoped per account (Transfer: the source account;
-- Deposit, Withdraw: the account) or per reversed transaction (ReverseTransaction). The
-- fingerprint is a hash of the request's parameters: the same key with other parameters is
-- refused. Written in the same database transaction as the transaction it leads to.
CREATE TABLE idempotency_keys (
  scope_kind          VARCHAR(20) NOT NULL,
  scope_id            BIGINT NOT NULL,
  idempotency_key     VARCHAR(64) NOT NULL,
  request_fingerprint CHAR(64) NOT NULL,
  transaction_id      BIGINT NOT NULL REFERENCES transactions (transaction_id),
  created_at          TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  PRIMARY KEY (scope_kind, scope_id, idempotency_key)
);

ALTER TABLE idempotency_keys
  ADD CONSTRAINT chk_idem_scope CHECK (scope_kind IN ('ACCOUNT','TRANSACTION'));
