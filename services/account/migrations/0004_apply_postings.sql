-- Applying a transaction's postings in one call inside the database: the claim of its id, the
-- account locks, the posting rules and the booking. The accounts stay locked only while the
-- database works, never across round trips to the service: under load a service's event loop
-- delays every next statement, and each delay was time other transfers of the same accounts
-- waited (bench/README.md, "Transfer throughput"). Called in a statement of its own, it is also
-- its own database transaction. The rules are those of services/account/posting/posting-service.ts,
-- which maps the refusals raised here (SQLSTATE P0001: MESSAGE the ErrorInfo reason, DETAIL the
-- message, HINT the account id) to the API's errors.
CREATE FUNCTION apply_postings(
  p_transaction_id BIGINT,
  p_kind           TEXT,
  p_fingerprint    TEXT,
  p_changed_by     TEXT,
  p_caller         TEXT,
  -- [{"account_id": "12", "direction": "DEBIT" | "CREDIT", "amount": "5.00", "currency": "USD"}, ...]
  p_postings       JSONB
) RETURNS TABLE (
  transaction_id BIGINT,
  kind           TEXT,
  fingerprint    TEXT,
  changed_by     TEXT,
  balances       JSONB,
  applied_at     TIMESTAMPTZ,
  replayed       BOOLEAN
)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_claimed BIGINT;
  v_ids     BIGINT[];
  v_missing BIGINT;
  r         RECORD;
BEGIN
  -- 1. The id, at most once: a concurrent call with the same id waits here for the other to end;
  --    a committed one with the same postings is a replay, with other postings a reuse.
  INSERT INTO applied_transactions (transaction_id, kind, fingerprint, changed_by)
  VALUES (p_transaction_id, p_kind, p_fingerprint, p_changed_by)
  ON CONFLICT (transaction_id) DO NOTHING
  RETURNING transaction_id INTO v_claimed;
  IF v_claimed IS NULL THEN
    RETURN QUERY
      SELECT a.transaction_id, a.kind::TEXT, a.fingerprint::TEXT, a.changed_by::TEXT, a.balances, a.applied_at, TRUE
        FROM applied_transactions a
       WHERE a.transaction_id = p_transaction_id AND a.balances IS NOT NULL AND a.fingerprint = p_fingerprint;
    IF FOUND THEN
      RETURN;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'TRANSACTION_ID_REUSED',
      DETAIL = 'this transaction id was already applied with different postings';
  END IF;

  -- 2. The accounts, locked in id order so that transactions on the same accounts queue instead
  --    of deadlocking. FOR NO KEY UPDATE does not block foreign-key checks of referencing rows.
  v_ids := ARRAY(SELECT DISTINCT (p ->> 'account_id')::BIGINT FROM jsonb_array_elements(p_postings) AS p ORDER BY 1);
  PERFORM 1 FROM accounts a JOIN account_settings s ON s.account_id = a.account_id
   WHERE a.account_id = ANY (v_ids) ORDER BY a.account_id FOR NO KEY UPDATE;

  -- 3. The rules, in the order the API documents its refusals.
  SELECT min(id) INTO v_missing FROM unnest(v_ids) AS id
   WHERE NOT EXISTS (SELECT 1 FROM accounts a JOIN account_settings s ON s.account_id = a.account_id
                      WHERE a.account_id = id);
  IF v_missing IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'ACCOUNT_NOT_FOUND', DETAIL = 'no account has this id',
      HINT = v_missing::TEXT;
  END IF;
  FOR r IN SELECT a.account_id, a.status FROM accounts a WHERE a.account_id = ANY (v_ids) ORDER BY a.account_id LOOP
    IF r.status <> 'ACTIVE' THEN
      RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'ACCOUNT_NOT_ACTIVE',
        DETAIL = 'the account is ' || r.status, HINT = r.account_id::TEXT;
    END IF;
  END LOOP;
  FOR r IN
    SELECT (p ->> 'account_id')::BIGINT AS account_id, p ->> 'currency' AS posted, a.currency
      FROM jsonb_array_elements(p_postings) WITH ORDINALITY AS x (p, ord)
      JOIN accounts a ON a.account_id = (p ->> 'account_id')::BIGINT
     ORDER BY ord
  LOOP
    IF r.posted <> r.currency THEN
      RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'CURRENCY_MISMATCH',
        DETAIL = format('the posting is in %s, the account in %s', r.posted, r.currency), HINT = r.account_id::TEXT;
    END IF;
  END LOOP;
  FOR r IN
    SELECT a.account_id, a.is_settlement, s.overdraft_limit,
           a.balance - e.debits + e.credits AS next_balance, e.debits, e.credits
      FROM (SELECT (p ->> 'account_id')::BIGINT AS account_id,
                   COALESCE(sum((p ->> 'amount')::NUMERIC) FILTER (WHERE p ->> 'direction' = 'DEBIT'), 0) AS debits,
                   COALESCE(sum((p ->> 'amount')::NUMERIC) FILTER (WHERE p ->> 'direction' = 'CREDIT'), 0) AS credits
              FROM jsonb_array_elements(p_postings) AS p GROUP BY 1) e
      JOIN accounts a ON a.account_id = e.account_id
      JOIN account_settings s ON s.account_id = a.account_id
     ORDER BY a.account_id
  LOOP
    IF r.debits > r.credits AND NOT r.is_settlement AND r.next_balance < -r.overdraft_limit THEN
      RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'INSUFFICIENT_FUNDS',
        DETAIL = 'the debit would take the balance below the overdraft limit', HINT = r.account_id::TEXT;
    END IF;
    IF abs(r.next_balance) > 9999999999999999.99 THEN
      RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'BALANCE_OUT_OF_RANGE',
        DETAIL = 'the balance would exceed the largest amount', HINT = r.account_id::TEXT;
    END IF;
  END LOOP;
  IF p_kind = 'WITHDRAWAL' THEN
    -- WITHDRAWAL debits since midnight UTC, this one included, against each customer account's limit.
    FOR r IN
      SELECT a.account_id, s.daily_withdrawal_limit, w.amount,
             (SELECT COALESCE(sum(po.amount), 0) FROM postings po
               WHERE po.account_id = a.account_id AND po.kind = 'WITHDRAWAL' AND po.direction = 'DEBIT'
                 AND po.posted_at >= date_trunc('day', NOW() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS today
        FROM (SELECT (p ->> 'account_id')::BIGINT AS account_id, sum((p ->> 'amount')::NUMERIC) AS amount
                FROM jsonb_array_elements(p_postings) AS p WHERE p ->> 'direction' = 'DEBIT' GROUP BY 1) w
        JOIN accounts a ON a.account_id = w.account_id
        JOIN account_settings s ON s.account_id = a.account_id
       WHERE NOT a.is_settlement
       ORDER BY a.account_id
    LOOP
      IF r.today + r.amount > r.daily_withdrawal_limit THEN
        RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'DAILY_LIMIT_EXCEEDED',
          DETAIL = 'the withdrawal would exceed the account''s daily withdrawal limit', HINT = r.account_id::TEXT;
      END IF;
    END LOOP;
  END IF;

  -- 4. The booking: new balances, every posting as sent, one BALANCE_ADJUST audit entry per
  --    account, and the result a replay returns (balances in account id order).
  WITH lines AS (
    SELECT (p ->> 'account_id')::BIGINT AS account_id, p ->> 'direction' AS direction,
           (p ->> 'amount')::NUMERIC(18, 2) AS amount, p ->> 'currency' AS currency, ord
      FROM jsonb_array_elements(p_postings) WITH ORDINALITY AS x (p, ord)
  ), effects AS (
    SELECT a.account_id, a.currency, a.balance AS before,
           a.balance - COALESCE(sum(l.amount) FILTER (WHERE l.direction = 'DEBIT'), 0)
                     + COALESCE(sum(l.amount) FILTER (WHERE l.direction = 'CREDIT'), 0) AS after
      FROM accounts a JOIN lines l ON l.account_id = a.account_id
     GROUP BY a.account_id, a.currency, a.balance
  ), new_balances AS (
    UPDATE accounts a SET balance = e.after, updated_at = NOW() FROM effects e WHERE a.account_id = e.account_id
  ), booked AS (
    INSERT INTO postings (transaction_id, account_id, direction, amount, currency, kind)
    SELECT p_transaction_id, l.account_id, l.direction, l.amount, l.currency, p_kind FROM lines l ORDER BY l.ord
  ), audited AS (
    INSERT INTO account_logs (account_id, change_type, old_value, new_value, changed_by)
    SELECT e.account_id, 'BALANCE_ADJUST',
           jsonb_build_object('balance', e.before::TEXT),
           jsonb_build_object('balance', e.after::TEXT, 'change', (e.after - e.before)::TEXT,
                              'transaction_id', p_transaction_id::TEXT, 'kind', p_kind, 'caller', p_caller),
           p_changed_by
      FROM effects e ORDER BY e.account_id
  )
  UPDATE applied_transactions t
     SET balances = (SELECT jsonb_agg(jsonb_build_object('account_id', e.account_id::TEXT, 'balance', e.after::TEXT,
                                                         'currency', e.currency) ORDER BY e.account_id)
                       FROM effects e)
   WHERE t.transaction_id = p_transaction_id;

  RETURN QUERY
    SELECT a.transaction_id, a.kind::TEXT, a.fingerprint::TEXT, a.changed_by::TEXT, a.balances, a.applied_at, FALSE
      FROM applied_transactions a WHERE a.transaction_id = p_transaction_id;
END
$$;
