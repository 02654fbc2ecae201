# shellcheck shell=bash
# FerretDB: the MongoDB wire protocol over the chatbot_ferret PostgreSQL database. Sourced by stack.sh.

ferretdb_ready() { port_open "$FIDALEX_FERRETDB_PORT" && http_ok "http://$FIDALEX_HOST:$FIDALEX_FERRETDB_DEBUG_PORT/debug/livez"; }
ferretdb_ports() { echo "$FIDALEX_FERRETDB_PORT $FIDALEX_FERRETDB_DEBUG_PORT"; }
ferretdb_state() {
  ferretdb_ready && echo "up    $FIDALEX_HOST:$FIDALEX_FERRETDB_PORT (pid $(cat "$RUN/ferretdb.pid"), FerretDB $FERRETDB_VERSION)"
}

# Telemetry stays off: a dev stack must not phone home, nor wait on it at start.
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
