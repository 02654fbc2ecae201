# shellcheck shell=bash
# Kafka Connect with Debezium: one worker in distributed mode, and the connectors it runs, which are
# exactly the files in debezium/connectors/ (debezium/README.md). Sourced by stack.sh.

CONNECTORS_DIR="$FIDALEX_REPO_DIR/debezium/connectors"

# connect_curl ARGS: curl with the REST API's Basic credentials, read from a 0600 file so that the
# password is never on a command line.
connect_curl() {
  [[ -f $S/connect/curl.conf ]] || write_connect_credentials
  curl -K "$S/connect/curl.conf" "$@"
}
connect_ready() {
  connect_curl -fsS -m 3 "$KAFKA_CONNECT_URL/connector-plugins" 2>/dev/null | grep 'io.debezium.connector.postgresql.PostgresConnector' >/dev/null
}
connect_ports() { echo "$FIDALEX_CONNECT_PORT"; }
connect_state() { connect_ready && echo "up    $KAFKA_CONNECT_URL (pid $(cat "$RUN/connect.pid"), Debezium $DEBEZIUM_VERSION)"; }
# connect_get PATH: a GET of the worker's REST API; fails on an HTTP error.
connect_get() { connect_curl -fsS -m 10 "$KAFKA_CONNECT_URL$1" 2>/dev/null; }

# write_connect_credentials: the worker's JAAS file and credentials file (Basic authentication of
# the REST API) and curl's config for the stack's own calls, all 0600.
write_connect_credentials() {
  mkdir -p "$S/connect"
  (
    umask 077
    printf '%s=%s\n' "$FIDALEX_CONNECT_USER" "$FIDALEX_CONNECT_PASSWORD" >"$S/connect/credentials.properties"
    printf 'KafkaConnect {\n  org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required\n  file="%s";\n};\n' \
      "$S/connect/credentials.properties" >"$S/connect/jaas.conf"
    printf 'user = "%s:%s"\n' "$FIDALEX_CONNECT_USER" "$FIDALEX_CONNECT_PASSWORD" >"$S/connect/curl.conf"
  )
}

start_connect() {
  mkdir -p "$S/connect"
  render "$CONF/connect-distributed.properties" "$S/connect/connect-distributed.properties"
  write_connect_credentials
  java_cmd "$FIDALEX_CONNECT_HEAP" "-Djava.security.auth.login.config=$S/connect/jaas.conf" \
    org.apache.kafka.connect.cli.ConnectDistributed "$S/connect/connect-distributed.properties"
  # The worker resolves ${env:...} in connector configs from its environment: part of its spec.
  local spec
  spec=$(SPEC_EXTRA="${JAVA_CMD[*]} $KAFKA_VERSION $DEBEZIUM_VERSION $(env | grep '^FIDALEX_' | sort | tr '\n' ' ')" \
    spec_of "$S/connect/connect-distributed.properties" "$CONF/log4j2.yaml")
  running_as connect "$spec" && return 0
  require_free_port connect "$FIDALEX_CONNECT_PORT"
  launch connect "$spec" "${JAVA_CMD[@]}"
}

# The connector configs; none is fine (nothing to capture).
mapfile -t CONNECTOR_FILES < <(compgen -G "$CONNECTORS_DIR/*.json" || true)

# connectors_wanted: "NAME SLOT FILE" for each connector file, one line each, in one python3 start
# (each start costs a fifth of a second, and a no-op `up` should take a second or two).
connectors_wanted() {
  python3 -c '
import json, sys
for f in sys.argv[1:]:
    c = json.load(open(f))
    print(c["name"], c["config"].get("slot.name", "-"), f)' "${CONNECTOR_FILES[@]}"
}

# sync_connectors: make the worker run exactly the connectors of debezium/connectors/. Retired ones go
# first, so that a new connector never meets an old one's Debezium metrics name or replication slot.
sync_connectors() {
  local wanted name file
  wanted=$(connectors_wanted) || die "cannot read the connector configs in $CONNECTORS_DIR"
  retire_connectors "$wanted"
  while read -r name _ file; do
    [[ -z $name ]] || register_connector "$name" "$file"
  done <<<"$wanted"
}

# retire_connectors WANTED: delete each connector the worker holds that no file names, then drop the
# replication slots no file names (a slot left behind makes PostgreSQL keep WAL for it forever).
retire_connectors() {
  local names slots registered name
  names=" $(cut -d' ' -f1 <<<"$1" | tr '\n' ' ')" slots=" $(cut -d' ' -f2 <<<"$1" | tr '\n' ' ')"
  registered=$(connect_get /connectors | json_get 'j') || die "cannot list the connectors" "$LOGS/connect.log"
  for name in $registered; do
    [[ $names == *" $name "* ]] && continue
    say "deleting connector $name (no file in debezium/connectors/ names it)"
    connect_curl -fsS -m 30 -o /dev/null -X DELETE "$KAFKA_CONNECT_URL/connectors/$name" ||
      die "deleting connector $name failed" "$LOGS/connect.log"
  done
  drop_retired_slots "$slots"
}

# drop_retired_slots WANTED_SLOTS: Debezium's slots (dbz_*, debezium/README.md) that no connector file
# names. A deleted connector's task lets go of its slot within seconds; a slot in use cannot be dropped.
drop_retired_slots() {
  local slot db
  while read -r slot db; do
    [[ -z $slot || $1 == *" $slot "* ]] && continue
    wait_for "replication slot $slot" "released by its connector, in database $db" 60 "$LOGS/connect.log" "" slot_inactive "$slot"
    # A logical slot is dropped from its own database; the WHERE makes a vanished slot no error.
    pg_psql -d "$db" -c "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '$slot'" >/dev/null ||
      die "dropping replication slot $slot failed" "$LOGS/postgres.log"
    say "dropped replication slot $slot"
  done < <(pg_psql -d postgres -At -F ' ' -c "SELECT slot_name, database FROM pg_replication_slots WHERE slot_name ~ '^dbz_[a-z0-9_]+$'")
}
slot_inactive() {
  [[ "$(pg_psql -d postgres -At -c "SELECT active FROM pg_replication_slots WHERE slot_name = '$1'")" != t ]]
}

# register_connector NAME FILE: PUT its config when it differs from the registered one (Connect
# restarts a connector on every PUT, so an unchanged one is left alone), then wait until it runs.
register_connector() {
  local name=$1 file=$2 current body code
  current=$(connect_get "/connectors/$name/config" || echo '{}')
  # The config to PUT, or nothing when Connect already holds it (it adds the name to the config).
  body=$(python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))
if json.loads(sys.argv[2]) != dict(c["config"], name=c["name"]):
    print(json.dumps(c["config"]))' "$file" "$current")
  if [[ -z $body ]]; then
    say "connector $name already registered"
  else
    say "registering connector $name ($file)"
    code=$(printf '%s' "$body" | connect_curl -sS -m 30 -o "$RUN/connector-$name.put.json" -w '%{http_code}' -X PUT \
      -H 'Content-Type: application/json' --data-binary @- "$KAFKA_CONNECT_URL/connectors/$name/config") || code=000
    [[ $code == 200 || $code == 201 ]] ||
      die "registering connector $name failed (HTTP $code): $(cat "$RUN/connector-$name.put.json" 2>/dev/null)" "$LOGS/connect.log"
  fi
  wait_for "connector $name" "$KAFKA_CONNECT_URL/connectors/$name/status" 120 "$LOGS/connect.log" "$RUN/connect.pid" \
    connector_running "$name"
}

# connector_running NAME: true when the connector and all its tasks are RUNNING; a FAILED one is
# fatal at once (its trace is in the status), since waiting would not help.
connector_running() {
  local out rc=0
  out=$(connect_get "/connectors/$1/status" | python3 -c '
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

# connector_states: one status line per connector file, for `stack.sh status`.
connector_states() {
  local name
  while read -r name _; do
    [[ -n $name ]] || continue
    printf '  %-9s connector %s: %s\n' "" "$name" \
      "$(connect_get "/connectors/$name/status" |
        json_get 'j["connector"]["state"] + " tasks: " + (",".join(t["state"] for t in j["tasks"]) or "none")' 2>/dev/null ||
        echo "not registered")"
  done < <(connectors_wanted)
}
