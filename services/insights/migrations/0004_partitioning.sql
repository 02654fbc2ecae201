-- How fact tables are partitioned by date_id. pg_partman when the database has it (it is not a
-- trusted extension, so a superuser installs it; the local stack does): monthly partitions from
-- twelve months back, six months made ahead, a default partition for anything else, and hourly
-- maintenance that keeps making them ahead. Without pg_partman, plain quarterly partitions from
-- two years back to three years ahead plus a default partition, topped up by the same maintenance
-- function. Which one was used is recorded in warehouse_settings ('partitioning').

-- Creates the quarterly partitions of a table partitioned by a DATE range (named
-- <table>_<year>q<quarter>) that cover [p_from, p_to) and do not exist yet; returns how many it
-- made. A quarter whose rows already sit in the default partition is skipped with a warning.
CREATE FUNCTION create_quarterly_partitions(p_parent TEXT, p_from DATE, p_to DATE) RETURNS INT
LANGUAGE plpgsql AS $$
DECLARE
  q    DATE := date_trunc('quarter', p_from)::date;
  made INT := 0;
  name TEXT;
BEGIN
  WHILE q < p_to LOOP
    name := format('%s_%sq%s', p_parent, EXTRACT(YEAR FROM q)::int, EXTRACT(QUARTER FROM q)::int);
    IF to_regclass(format('public.%I', name)) IS NULL THEN
      BEGIN
        EXECUTE format('CREATE TABLE public.%I PARTITION OF public.%I FOR VALUES FROM (%L) TO (%L)',
                       name, p_parent, q, (q + INTERVAL '3 months')::date);
        made := made + 1;
      EXCEPTION WHEN others THEN
        RAISE WARNING 'partition % of % not created: %', name, p_parent, SQLERRM;
      END;
    END IF;
    q := (q + INTERVAL '3 months')::date;
  END LOOP;
  RETURN made;
END
$$;

-- Decides once per database whether pg_partman can be used, and records the answer.
CREATE FUNCTION warehouse_partitioning_mode() RETURNS TEXT
LANGUAGE plpgsql AS $$
DECLARE
  mode   TEXT;
  reason TEXT;
BEGIN
  SELECT value INTO mode FROM warehouse_settings WHERE key = 'partitioning';
  IF mode IS NOT NULL THEN
    RETURN mode;
  END IF;
  BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_partman') THEN
      CREATE SCHEMA IF NOT EXISTS partman;
      CREATE EXTENSION pg_partman SCHEMA partman;
    END IF;
    mode := 'pg_partman';
    SELECT format('pg_partman %s in schema %s', e.extversion, n.nspname) INTO reason
    FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'pg_partman';
  EXCEPTION WHEN others THEN
    mode := 'plain';
    reason := format('CREATE EXTENSION pg_partman failed: %s', SQLERRM);
  END;
  INSERT INTO warehouse_settings (key, value) VALUES ('partitioning', mode), ('partitioning_reason', reason);
  RETURN mode;
END
$$;

-- Partitions a new, empty fact table (PARTITION BY RANGE (date_id)) the way the mode says.
CREATE FUNCTION partition_fact_table(p_parent TEXT) RETURNS TEXT
LANGUAGE plpgsql AS $$
DECLARE
  mode    TEXT := warehouse_partitioning_mode();
  schema  TEXT;
  version TEXT;
  start   TEXT := (date_trunc('month', CURRENT_DATE) - INTERVAL '12 months')::date::text;
BEGIN
  IF mode = 'pg_partman' THEN
    SELECT n.nspname, e.extversion INTO schema, version
    FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'pg_partman';
    IF split_part(version, '.', 1)::int >= 5 THEN
      -- pg_partman 5: native range partitioning is the only kind; a default partition is made.
      EXECUTE format('SELECT %I.create_parent(p_parent_table := %L, p_control := %L, p_interval := %L, '
                     'p_premake := 6, p_start_partition := %L)',
                     schema, 'public.' || p_parent, 'date_id', '1 month', start);
    ELSE
      -- pg_partman 4: 'native' partitioning, which also makes a default partition.
      EXECUTE format('SELECT %I.create_parent(p_parent_table := %L, p_control := %L, p_type := %L, '
                     'p_interval := %L, p_premake := 6, p_start_partition := %L)',
                     schema, 'public.' || p_parent, 'date_id', 'native', '1 month', start);
    END IF;
    -- Keep making partitions ahead even through a quiet month.
    EXECUTE format('UPDATE %I.part_config SET infinite_time_partitions = true WHERE parent_table = %L',
                   schema, 'public.' || p_parent);
  ELSE
    PERFORM create_quarterly_partitions(p_parent, (CURRENT_DATE - INTERVAL '2 years')::date,
                                        (CURRENT_DATE + INTERVAL '3 years')::date);
    EXECUTE format('CREATE TABLE public.%I PARTITION OF public.%I DEFAULT', p_parent || '_default', p_parent);
  END IF;
  RETURN mode;
END
$$;

-- Keeps partitions made ahead (pg_partman's maintenance, or the next quarters in plain mode) and
-- trims the loader's bookkeeping. Scheduled hourly with pg_cron, or by the service's timer.
CREATE FUNCTION maintain_warehouse() RETURNS VOID
LANGUAGE plpgsql AS $$
DECLARE
  schema TEXT;
  parent TEXT;
BEGIN
  IF warehouse_partitioning_mode() = 'pg_partman' THEN
    SELECT n.nspname INTO schema
    FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'pg_partman';
    EXECUTE format('SELECT %I.run_maintenance(p_analyze := false)', schema);
  ELSE
    FOR parent IN
      SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'p' AND c.relname LIKE 'fact\_%'
    LOOP
      PERFORM create_quarterly_partitions(parent, CURRENT_DATE, (CURRENT_DATE + INTERVAL '3 years')::date);
    END LOOP;
  END IF;
  -- Row upserts are ordered by LSN, so a redelivered old event is harmless even once its id has
  -- been forgotten; two weeks of ids cover any ordinary redelivery.
  DELETE FROM processed_events WHERE consumer = 'insights-loader' AND processed_at < NOW() - INTERVAL '14 days';
  DELETE FROM etl_runs WHERE started_at < NOW() - INTERVAL '90 days';
  -- pg_cron logs every run of the minutely refresh and does not trim its log itself.
  IF to_regclass('cron.job_run_details') IS NOT NULL
     AND has_table_privilege('cron.job_run_details', 'DELETE') THEN
    EXECUTE $sql$DELETE FROM cron.job_run_details
                 WHERE username = current_user AND end_time < NOW() - INTERVAL '7 days'$sql$;
  END IF;
END
$$;
