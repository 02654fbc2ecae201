-- Four eyes (maker-checker): staff requests that wait for a second staff member before they take
-- effect (services/runtime/approvals.ts). The Transaction service keeps its large cash deposits and
-- withdrawals here, the Account service its high overdraft limits; `request` holds what to carry
-- out once approved. Both staff members stay on the row: the audit of who asked and who decided.
CREATE TABLE IF NOT EXISTS approvals (
  approval_id   BIGSERIAL PRIMARY KEY,
  action        VARCHAR(20) NOT NULL,
  status        VARCHAR(10) NOT NULL DEFAULT 'PENDING',
  account_id    BIGINT NOT NULL,
  amount        NUMERIC(18, 2) NOT NULL,
  currency      CHAR(3) NOT NULL,
  request       JSONB NOT NULL,
  -- The maker's idempotency key (unique per account) and the fingerprint of the request it was
  -- used with; NULL for actions without a key.
  request_key   VARCHAR(64),
  fingerprint   CHAR(64),
  requested_by  VARCHAR(100) NOT NULL,
  decided_by    VARCHAR(100),
  created_at    TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  decided_at    TIMESTAMPTZ,
  CONSTRAINT chk_approvals_action CHECK (action IN ('DEPOSIT', 'WITHDRAWAL', 'SETTINGS_CHANGE')),
  CONSTRAINT chk_approvals_status CHECK (status IN ('PENDING', 'APPROVED', 'REJECTED')),
  CONSTRAINT chk_approvals_decided CHECK ((status = 'PENDING') = (decided_by IS NULL)),
  CONSTRAINT chk_approvals_four_eyes CHECK (decided_by IS NULL OR decided_by <> requested_by)
);

CREATE UNIQUE INDEX IF NOT EXISTS uq_approvals_request_key ON approvals (account_id, request_key)
  WHERE request_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_approvals_pending ON approvals (account_id) WHERE status = 'PENDING';
