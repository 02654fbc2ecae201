# shellcheck shell=bash
# What every part of stack.sh uses: the stack's folders, progress and error lines, templates, and
# the life cycle of a daemon (launch, wait until ready, restart on a new configuration, stop).
# Sourced by stack/stack.sh after stack/env.sh; defines functions and the folder variables only.

# The stack's folders: everything it writes lives under $FIDALEX_STACK_DIR, so `rm -rf` resets it.
S="$FIDALEX_STACK_DIR"
LOGS="$S/logs"
RUN="$S/run"
# The caches and the configuration templates are read by the files sourced after this one.
# shellcheck disable=SC2034
CACHE="$S/cache" CONF="$STACK_SRC/conf"

# Progress lines carry the seconds since start, so a slow step is visible in CI logs.
T0=$(date +%s%N)
say() { printf '[stack %6.1fs] %s\n' "$(($(date +%s%N) - T0))e-9" "$*"; }

# die MESSAGE [LOG]: the error, and the tail of the component's log, so the cause is on screen.
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
    "$1" >"$2.tmp" || { rm -f "$2.tmp"; die "cannot render $1"; }
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

# wait_file FILE: daemons that fork (pg_ctl, redis) write their pid file a moment after returning.
wait_file() {
  local tries=20
  until [[ -f $1 ]] || ((--tries == 0)); do sleep 0.25; done
}

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
  local pid=$! tries=40
  echo "$pid" >"$RUN/$name.pid"
  echo "$spec" >"$RUN/$name.spec"
  # Until the forked shell has exec'd the command, its command line is this script's, and
  # pid_alive would take the starting daemon for a dead one: wait (at most 2 s) for the exec.
  while ((tries-- > 0)) && kill -0 "$pid" 2>/dev/null && ! pid_alive "$RUN/$name.pid"; do sleep 0.05; done
}

# require_free_port NAME PORT: a port held by a foreign process would make NAME fail obscurely later.
require_free_port() {
  if port_open "$2"; then
    die "$1 cannot start: $FIDALEX_HOST:$2 is already in use by a process this stack did not start (see: ss -ltnp)"
  fi
}

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

# json_get EXPR: evaluate a Python expression over the JSON on stdin (bound to `j`) and print it;
# lists print one item a line. Debezium and Connect speak JSON, and python3 is always there.
json_get() {
  python3 -c '
import json, sys
j = json.load(sys.stdin)
v = eval(sys.argv[1])
print("\n".join(v) if isinstance(v, list) else v)' "$1"
}
