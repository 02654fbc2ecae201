# shellcheck shell=bash
# Redis 7 on loopback, no persistence (a dev cache). Sourced by stack.sh.

redis_ready() { [[ "$(redis-cli --no-auth-warning -u "$REDIS_URL" ping 2>/dev/null)" == PONG ]]; }
redis_ports() { echo "$FIDALEX_REDIS_PORT"; }
redis_state() { redis_ready && echo "up    $FIDALEX_HOST:$FIDALEX_REDIS_PORT (pid $(cat "$RUN/redis.pid"))"; }

# write_redis_acl FILE: the ACL users. The default user is off, so a client without a password can
# do nothing. fidalex_admin (REDIS_URL) may do anything; each service's user (stack/env.sh) may use
# every key and data command but no administration (CONFIG, ACL, DEBUG, SHUTDOWN, …) nor FLUSHALL,
# FLUSHDB or SWAPDB. Passwords are stored as SHA-256 digests.
write_redis_acl() {
  local name var digest
  (
    umask 077
    {
      echo "user default off resetchannels -@all"
      digest=$(printf '%s' "$FIDALEX_REDIS_ADMIN_PASSWORD" | sha256sum | cut -d' ' -f1)
      echo "user fidalex_admin on #$digest ~* &* +@all"
      for name in $FIDALEX_REDIS_SERVICE_USERS; do
        var="FIDALEX_${name^^}_REDIS_PASSWORD"
        digest=$(printf '%s' "${!var}" | sha256sum | cut -d' ' -f1)
        echo "user ${name}_svc on #$digest ~* &* +@all -@admin -flushall -flushdb -swapdb"
      done
    } >"$1.tmp"
  )
  mv "$1.tmp" "$1"
}

# Redis daemonizes itself (daemonize yes) and writes run/redis.pid, so launch() is not used here.
start_redis() {
  mkdir -p "$S/redis"
  render "$CONF/redis.conf" "$S/redis/redis.conf"
  write_redis_acl "$S/redis/users.acl"
  local spec
  spec=$(spec_of "$S/redis/redis.conf" "$S/redis/users.acl")
  running_as redis "$spec" && return 0
  require_free_port redis "$FIDALEX_REDIS_PORT"
  say "starting redis (log: $LOGS/redis.log)"
  : >"$LOGS/redis.log"
  rm -f "$RUN/redis.pid"
  redis-server "$S/redis/redis.conf" </dev/null >>"$LOGS/redis.log" 2>&1 9>&- || die "redis-server failed to start" "$LOGS/redis.log"
  echo "$spec" >"$RUN/redis.spec"
  wait_file "$RUN/redis.pid"
}
