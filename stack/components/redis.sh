# shellcheck shell=bash
# Redis 7 on loopback, no persistence (a dev cache). Sourced by stack.sh.

redis_ready() { [[ "$(redis-cli -h "$FIDALEX_HOST" -p "$FIDALEX_REDIS_PORT" ping 2>/dev/null)" == PONG ]]; }
redis_ports() { echo "$FIDALEX_REDIS_PORT"; }
redis_state() { redis_ready && echo "up    $FIDALEX_HOST:$FIDALEX_REDIS_PORT (pid $(cat "$RUN/redis.pid"))"; }

# Redis daemonizes itself (daemonize yes) and writes run/redis.pid, so launch() is not used here.
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
  wait_file "$RUN/redis.pid"
}
