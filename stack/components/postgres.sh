# shellcheck shell=bash
# PostgreSQL 15: its own cluster in .stack/pg/data, one database and owner role per service,
# Debezium's replication role, and the extensions the Insights service needs. Sourced by stack.sh.

PG_DATA="$S/pg/data"
# Postgres refuses to run as root: as root we run it as the `postgres` user of the Debian package.
if [[ $(id -u) -eq 0 ]]; then PG_OS_USER=postgres; else PG_OS_USER=$(id -un); fi
# pg_hba.conf names the superuser allowed over the Unix socket; render() reads it from the environment.
export FIDALEX_PG_SUPERUSER="$PG_OS_USER"

as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_ready() { pg_isready -q -h "$FIDALEX_HOST" -p "$FIDALEX_PG_PORT" -t 2; }
pg_running() { as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }
# pg_psql ARGS...: psql as the superuser over the Unix socket (peer authentication, no password).
pg_psql() { as_pg psql -X -q -v ON_ERROR_STOP=1 -h "$S/pg/run" -p "$FIDALEX_PG_PORT" -U "$PG_OS_USER" "$@"; }
postgres_ports() { echo "$FIDALEX_PG_PORT"; }
postgres_state() {
  pg_ready && echo "up    $FIDALEX_HOST:$FIDALEX_PG_PORT (pid $(head -n1 "$PG_DATA/postmaster.pid" 2>/dev/null))"
}

# init_postgres: a new cluster once, owned by the OS user that runs it, with our settings included.
init_postgres() {
  [[ -f $PG_DATA/PG_VERSION ]] && return 0
  say "initdb $PG_DATA"
  rm -rf "$PG_DATA" && mkdir -p "$PG_DATA"
  [[ $(id -u) -eq 0 ]] && chown -R postgres:postgres "$S/pg"
  as_pg test -w "$PG_DATA" || die "the postgres user cannot write $PG_DATA (is the checkout under a private home folder?)"
  as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U "$PG_OS_USER" --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=peer --auth-host=scram-sha-256 --no-instructions >"$LOGS/initdb.log" 2>&1 ||
    die "initdb failed" "$LOGS/initdb.log"
  echo "include_if_exists = 'fidalex.conf'" | as_pg tee -a "$PG_DATA/postgresql.conf" >/dev/null
}

# configure_postgres: render our settings into the cluster; true when they differ from the last ones.
configure_postgres() {
  render "$CONF/postgresql.conf" "$RUN/pg-fidalex.conf"
  render "$CONF/pg_hba.conf" "$RUN/pg-hba.conf"
  local changed=1
  cmp -s "$RUN/pg-fidalex.conf" "$PG_DATA/fidalex.conf" && cmp -s "$RUN/pg-hba.conf" "$PG_DATA/pg_hba.conf" && changed=0
  as_pg cp "$RUN/pg-fidalex.conf" "$PG_DATA/fidalex.conf" && as_pg cp "$RUN/pg-hba.conf" "$PG_DATA/pg_hba.conf" ||
    die "cannot write the configuration into $PG_DATA"
  ((changed))
}

# pg_ctl, not launch(): Postgres daemonizes itself and keeps its pid in postmaster.pid.
start_postgres() {
  mkdir -p "$S/pg/run"
  init_postgres
  [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$S/pg" "$S/pg/run"
  if configure_postgres; then
    if pg_running; then
      say "postgres configuration changed: restarting postgres"
      stop_postgres
    fi
  elif pg_running; then
    say "postgres already running"
    return 0
  fi
  require_free_port postgres "$FIDALEX_PG_PORT"
  say "starting postgres (log: $LOGS/postgres.log)"
  : >"$LOGS/postgres.log"
  [[ $(id -u) -eq 0 ]] && chown postgres "$LOGS/postgres.log"
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$LOGS/postgres.log" -W start >/dev/null 9>&- ||
    die "pg_ctl start failed" "$LOGS/postgres.log"
  # pg_ctl -W returns before postmaster.pid exists: give it a moment before checking the pid.
  wait_file "$PG_DATA/postmaster.pid"
  head -n1 "$PG_DATA/postmaster.pid" >"$RUN/postgres.pid" 2>/dev/null || true
}

# bootstrap_sql_databases: one database per service, owned by its own least-privilege login role.
bootstrap_sql_databases() {
  local pair db role
  for pair in $FIDALEX_PG_DATABASES; do
    db=${pair%%:*} role=${pair#*:}
    printf '%s\n' \
      "SELECT format('CREATE ROLE %I LOGIN', '$role') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$role')\\gexec" \
      "ALTER ROLE $role LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '${role}_dev_pw';" \
      "SELECT format('CREATE DATABASE %I OWNER %I', '$db', '$role') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$db')\\gexec" \
      "ALTER DATABASE $db OWNER TO $role;" \
      "REVOKE ALL ON DATABASE $db FROM PUBLIC;"
  done
}

# bootstrap_sql_cdc: Debezium's role, which may replicate and connect to the OLTP databases only.
bootstrap_sql_cdc() {
  local dbz=$FIDALEX_DEBEZIUM_USER
  cat <<SQL
SELECT format('CREATE ROLE %I LOGIN REPLICATION', '$dbz') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$dbz')\\gexec
ALTER ROLE $dbz LOGIN REPLICATION NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '$FIDALEX_DEBEZIUM_PASSWORD';
GRANT CONNECT ON DATABASE auth, account, transaction, payment, loan TO $dbz;
-- The services' migrations grant SELECT on what they publish to cdc_reader, a role without login
-- that the change-data-capture user is a member of (production names its own CDC user).
SELECT 'CREATE ROLE cdc_reader NOLOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cdc_reader')\\gexec
GRANT cdc_reader TO $dbz;
-- Earlier stacks had a CDC smoke table in account, with its own publication; the connector sync
-- removes its connector and replication slot, and this removes the rest.
\\connect account
DROP PUBLICATION IF EXISTS dbz_account_smoke;
DROP TABLE IF EXISTS public.stack_smoke;
SQL
}

# bootstrap_sql_insights: pg_cron and pg_partman are superuser-only to create; Insights uses them.
bootstrap_sql_insights() {
  cat <<'SQL'
\connect insights
CREATE EXTENSION IF NOT EXISTS pg_cron;
GRANT USAGE ON SCHEMA cron TO insights_svc;
CREATE SCHEMA IF NOT EXISTS partman;
CREATE EXTENSION IF NOT EXISTS pg_partman SCHEMA partman;
GRANT ALL ON SCHEMA partman TO insights_svc;
GRANT ALL ON ALL TABLES IN SCHEMA partman TO insights_svc;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA partman TO insights_svc;
GRANT EXECUTE ON ALL PROCEDURES IN SCHEMA partman TO insights_svc;
SQL
}

# bootstrap_sql_statements: pg_stat_statements in every service database, so that each service's
# role can read the statistics of its own statements (bench/throughput reads them per transfer).
bootstrap_sql_statements() {
  local pair db
  for pair in $FIDALEX_PG_DATABASES; do
    db=${pair%%:*}
    printf '\\connect %s\nCREATE EXTENSION IF NOT EXISTS pg_stat_statements;\n' "$db"
  done
}

# Databases, roles and extensions, in one psql session. Idempotent, so it runs on every `up`.
bootstrap_postgres() {
  { bootstrap_sql_databases && bootstrap_sql_cdc && bootstrap_sql_insights && bootstrap_sql_statements; } |
    pg_psql -d postgres -f - >"$LOGS/bootstrap-postgres.log" 2>&1 ||
    die "postgres bootstrap (roles, databases, extensions) failed" "$LOGS/bootstrap-postgres.log"
}

stop_postgres() {
  if pg_running; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null || true
  fi
  rm -f "$RUN/postgres.pid"
}
