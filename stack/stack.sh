#!/usr/bin/env bash
# The local mesh on one machine, no Docker: PostgreSQL 15, Redis 7, Apache Kafka (KRaft), Kafka
# Connect + Debezium, FerretDB, the services and Envoy, on loopback under the git-ignored .stack/.
#
#   bash stack/stack.sh up       install what is missing, start what is stopped, wait until ready
#   bash stack/stack.sh down     stop everything and check that nothing is left behind
#   bash stack/stack.sh status   what runs where, and the environment the services use
#   bash stack/stack.sh env      the environment only (KEY=value lines)
#
# Idempotent: `up` on a running stack only checks it (a second or two). Ports, paths and dev
# credentials come from stack/env.sh. Logs: .stack/logs/<component>.log.
set -euo pipefail

STACK_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The parts, each sourced: the environment, the shared helpers and installs, then one file per
# component (how to start it, when it is ready, its ports and its status line). This file only
# orders them. The services are one env template each, in stack/services/.
# shellcheck source=stack/env.sh
source "$STACK_SRC/env.sh"
# shellcheck source=stack/lib/common.sh
source "$STACK_SRC/lib/common.sh"
# shellcheck source=stack/lib/install.sh
source "$STACK_SRC/lib/install.sh"
for part in postgres redis kafka connect ferretdb processor services envoy; do
  # A path built in a loop is beyond shellcheck's reach; it checks each component file on its own.
  # shellcheck source=/dev/null
  source "$STACK_SRC/components/$part.sh"
done

# The components in start order, as `status` lists them; each service is a component of its own.
COMPONENTS=(postgres redis kafka connect ferretdb processor "${SERVICES[@]}" envoy)

# ========================================== commands ===============================================

cmd_up() {
  mkdir -p "$LOGS" "$RUN" "$CACHE"
  trap stop_installs EXIT
  install_start
  prepare_code
  check_services
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
  start_processor
  wait_for processor "$PROCESSOR_URL" 30 "$LOGS/processor.log" "$RUN/processor.pid" processor_ready
  # The services migrate their databases at start, which creates the tables and publications
  # the connectors capture; Envoy comes last, in front of running services.
  install_wait model
  start_services
  install_wait envoy
  start_envoy
  wait_for envoy "$FIDALEX_HOST:$FIDALEX_ENVOY_PORT, admin $ENVOY_ADMIN_URL" 60 "$LOGS/envoy.log" "$RUN/envoy.pid" envoy_ready
  wait_for connect "$KAFKA_CONNECT_URL" 180 "$LOGS/connect.log" "$RUN/connect.pid" connect_ready
  sync_connectors
  say "stack is up in $(( ($(date +%s%N) - T0) / 1000000000 ))s (details: bash stack/stack.sh status)"
}

# all_ports: every port of the stack, for the check that `down` left none open.
all_ports() {
  local c
  for c in postgres redis kafka connect ferretdb processor services envoy; do "${c}_ports"; done
}

# Daemons (postgres, the JVMs, redis, ferretdb, envoy) whose command line names this stack's folder.
stack_pids() {
  ps -eo pid=,comm=,args= | awk -v dir="$S/" '
    $2 ~ /^(postgres|java|redis-server|ferretdb|envoy|node)$/ && index($0, dir) { print $1 }'
}

# kill_leftovers: what a crashed `up` or a lost pid file left behind, TERM first, then KILL.
kill_leftovers() {
  local left
  left=$(stack_pids)
  [[ -n $left ]] || return 0
  say "processes still running from $S: $(echo "$left" | tr '\n' ' '); terminating them"
  # The pids are one a line: word splitting makes them kill's arguments.
  # shellcheck disable=SC2086
  kill -TERM $left 2>/dev/null || true
  sleep 2
  left=$(stack_pids)
  # shellcheck disable=SC2086
  [[ -z $left ]] || kill -KILL $left 2>/dev/null || true
}

cmd_down() {
  mkdir -p "$LOGS" "$RUN"
  # The edge first, then the services, then the other clients (in parallel), then Kafka, then the stores.
  stop_pid envoy 20
  stop_services
  stop_pid ferretdb 20 &
  stop_pid processor 20 &
  stop_pid connect 60 &
  wait
  stop_pid kafka 90
  stop_pid redis 20 &
  if pg_running; then say "stopping postgres"; fi
  stop_postgres
  wait
  # Verify: no process of ours, nothing listening on our ports.
  kill_leftovers
  local port busy=""
  for port in $(all_ports); do port_open "$port" && busy+=" $port"; done
  [[ -z $busy ]] || die "after down, something still listens on$busy (ss -ltnp)"
  say "stack is down (no process left, ports free)"
}

# component_state NAME: the status line of a component, or failure when it is down.
component_state() {
  if declare -F "${1}_state" >/dev/null; then "${1}_state"; else service_state "$1"; fi
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
  local c line down=0
  echo "Fidalex local stack: $S"
  for c in "${COMPONENTS[@]}"; do
    if line=$(component_state "$c"); then
      printf '  %-9s %s\n' "$c" "$line"
    else
      printf '  %-9s down\n' "$c"
      down=1
    fi
  done
  if connect_ready; then connector_states; fi
  echo "Logs: $LOGS"
  echo "Environment (source stack/env.sh):"
  cmd_env | sed 's/^/  /'
  return $down
}

main() {
  local verb=${1:-}
  case $verb in
  up | down)
    mkdir -p "$S/run"
    # One up/down at a time (parallel test workers may all call `up`). Daemons never inherit fd 9.
    exec 9>"$S/run/stack.lock"
    flock -w 1200 9 || die "another stack.sh $verb holds $S/run/stack.lock"
    "cmd_$verb"
    ;;
  status) cmd_status ;;
  env) cmd_env ;;
  *)
    sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
    [[ -z $verb ]] || exit 2
    ;;
  esac
}
# One line, so that bash never reads past it, even if this file is edited while it runs.
main "$@"; exit $?
