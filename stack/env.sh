# shellcheck shell=bash
# The local stack's ports, paths and dev-only credentials: the one place they are defined.
# Source it from bash (`source stack/env.sh`); every value may be overridden by exporting it first.
# Everything listens on 127.0.0.1 on non-default ports, so it never clashes with system services.

FIDALEX_REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
: "${FIDALEX_STACK_DIR:=$FIDALEX_REPO_DIR/.stack}"
export FIDALEX_REPO_DIR FIDALEX_STACK_DIR

export FIDALEX_HOST="${FIDALEX_HOST:-127.0.0.1}"

# --- ports ---------------------------------------------------------------------------------------
export FIDALEX_PG_PORT="${FIDALEX_PG_PORT:-15432}"
export FIDALEX_REDIS_PORT="${FIDALEX_REDIS_PORT:-16379}"
export FIDALEX_KAFKA_PORT="${FIDALEX_KAFKA_PORT:-19092}"
export FIDALEX_KAFKA_CONTROLLER_PORT="${FIDALEX_KAFKA_CONTROLLER_PORT:-19093}"
export FIDALEX_CONNECT_PORT="${FIDALEX_CONNECT_PORT:-18083}"
export FIDALEX_FERRETDB_PORT="${FIDALEX_FERRETDB_PORT:-27018}"
export FIDALEX_FERRETDB_DEBUG_PORT="${FIDALEX_FERRETDB_DEBUG_PORT:-18088}"
export FIDALEX_ENVOY_PORT="${FIDALEX_ENVOY_PORT:-18080}"
export FIDALEX_ENVOY_ADMIN_PORT="${FIDALEX_ENVOY_ADMIN_PORT:-19901}"
# Envoy's admin interface (/quitquitquit, /config_dump) is never on a public address: loopback here,
# loopback or a host-only address in a deployment (docs/security.md).
export FIDALEX_ENVOY_ADMIN_HOST="${FIDALEX_ENVOY_ADMIN_HOST:-127.0.0.1}"
# The services' gRPC ports (h2c), each an upstream cluster of Envoy with an active gRPC health check.
export FIDALEX_AUTH_PORT="${FIDALEX_AUTH_PORT:-18101}"
export FIDALEX_ACCOUNT_PORT="${FIDALEX_ACCOUNT_PORT:-18102}"
export FIDALEX_TRANSACTION_PORT="${FIDALEX_TRANSACTION_PORT:-18103}"
export FIDALEX_PAYMENT_PORT="${FIDALEX_PAYMENT_PORT:-18104}"
export FIDALEX_LOAN_PORT="${FIDALEX_LOAN_PORT:-18105}"
export FIDALEX_CHATBOT_PORT="${FIDALEX_CHATBOT_PORT:-18106}"
export FIDALEX_INSIGHTS_PORT="${FIDALEX_INSIGHTS_PORT:-18107}"
# The sandbox payment processor (the Payment service's network in this stack), HTTP/JSON.
export FIDALEX_PROCESSOR_PORT="${FIDALEX_PROCESSOR_PORT:-18114}"

# --- PostgreSQL: one database per service, each owned by its own least-privilege login role ------
export FIDALEX_PG_HOST="$FIDALEX_HOST"
# name:role pairs; the role's password is <role>_dev_pw (dev only, never used outside this stack).
export FIDALEX_PG_DATABASES="auth:auth_svc account:account_svc transaction:transaction_svc payment:payment_svc payment_it:payment_svc loan:loan_svc insights:insights_svc chatbot_ferret:chatbot_svc"
# Debezium's replication-capable role (REPLICATION + CONNECT on the OLTP databases, nothing more).
export FIDALEX_DEBEZIUM_USER="${FIDALEX_DEBEZIUM_USER:-debezium}"
export FIDALEX_DEBEZIUM_PASSWORD="${FIDALEX_DEBEZIUM_PASSWORD:-debezium_dev_pw}"

_fidalex_pg_url() { printf 'postgres://%s:%s_dev_pw@%s:%s/%s' "$2" "$2" "$FIDALEX_PG_HOST" "$FIDALEX_PG_PORT" "$1"; }
export AUTH_DATABASE_URL="${AUTH_DATABASE_URL:-$(_fidalex_pg_url auth auth_svc)}"
export ACCOUNT_DATABASE_URL="${ACCOUNT_DATABASE_URL:-$(_fidalex_pg_url account account_svc)}"
export TRANSACTION_DATABASE_URL="${TRANSACTION_DATABASE_URL:-$(_fidalex_pg_url transaction transaction_svc)}"
export PAYMENT_DATABASE_URL="${PAYMENT_DATABASE_URL:-$(_fidalex_pg_url payment payment_svc)}"
# The Payment service's integration tests run their own Payment service, with their own processor
# and faster timings, over a database of their own: the stack's Payment service never works on
# their payments (its worker would, over a shared database, with its other processor and limits).
export PAYMENT_IT_DATABASE_URL="${PAYMENT_IT_DATABASE_URL:-$(_fidalex_pg_url payment_it payment_svc)}"
export LOAN_DATABASE_URL="${LOAN_DATABASE_URL:-$(_fidalex_pg_url loan loan_svc)}"
export INSIGHTS_DATABASE_URL="${INSIGHTS_DATABASE_URL:-$(_fidalex_pg_url insights insights_svc)}"
# FerretDB's PostgreSQL URL carries no credentials: each MongoDB client authenticates (PLAIN, over
# loopback) as a PostgreSQL role, and FerretDB uses that role for the client's backend connection.
export FERRETDB_POSTGRESQL_URL="${FERRETDB_POSTGRESQL_URL:-postgres://$FIDALEX_PG_HOST:$FIDALEX_PG_PORT/chatbot_ferret?sslmode=disable}"
unset -f _fidalex_pg_url

# --- the other stores -----------------------------------------------------------------------------
# Redis takes no anonymous client (its default user is off): each service has an ACL user of its own
# (FIDALEX_<NAME>_REDIS_URL, below), and REDIS_URL is the stack's administrator, for the stack's
# checks and the tests. Dev-only passwords, never used outside this stack.
export FIDALEX_REDIS_ADMIN_PASSWORD="${FIDALEX_REDIS_ADMIN_PASSWORD:-redis-admin-dev-pw}"
export REDIS_URL="${REDIS_URL:-redis://fidalex_admin:$FIDALEX_REDIS_ADMIN_PASSWORD@$FIDALEX_HOST:$FIDALEX_REDIS_PORT}"
export KAFKA_BROKERS="${KAFKA_BROKERS:-$FIDALEX_HOST:$FIDALEX_KAFKA_PORT}"
export KAFKA_CONNECT_URL="${KAFKA_CONNECT_URL:-http://$FIDALEX_HOST:$FIDALEX_CONNECT_PORT}"
# Kafka Connect's REST API takes Basic authentication only (dev-only credentials).
export FIDALEX_CONNECT_USER="${FIDALEX_CONNECT_USER:-fidalex_connect}"
export FIDALEX_CONNECT_PASSWORD="${FIDALEX_CONNECT_PASSWORD:-connect-dev-pw}"
export MONGO_URI="${MONGO_URI:-mongodb://chatbot_svc:chatbot_svc_dev_pw@$FIDALEX_HOST:$FIDALEX_FERRETDB_PORT/chatbot?authMechanism=PLAIN}"
# The browser origins allowed to call the edge (CORS, on REST, gRPC-Web and Connect alike), separated
# by spaces; each is scheme://host[:port]. Another origin's preflight gets no CORS headers.
export FIDALEX_CORS_ALLOWED_ORIGINS="${FIDALEX_CORS_ALLOWED_ORIGINS:-http://localhost:3000 http://127.0.0.1:3000}"
export ENVOY_URL="${ENVOY_URL:-http://$FIDALEX_HOST:$FIDALEX_ENVOY_PORT}"
export ENVOY_ADMIN_URL="${ENVOY_ADMIN_URL:-http://$FIDALEX_HOST:$FIDALEX_ENVOY_ADMIN_PORT}"

# --- memory: the JVMs stay small on a 2-core machine -----------------------------------------------
export FIDALEX_KAFKA_HEAP="${FIDALEX_KAFKA_HEAP:--Xms128m -Xmx512m}"
export FIDALEX_CONNECT_HEAP="${FIDALEX_CONNECT_HEAP:--Xms128m -Xmx512m}"

# --- the services ------------------------------------------------------------------------------------
export AUTH_URL="${AUTH_URL:-http://$FIDALEX_HOST:$FIDALEX_AUTH_PORT}"
export ACCOUNT_URL="${ACCOUNT_URL:-http://$FIDALEX_HOST:$FIDALEX_ACCOUNT_PORT}"
export TRANSACTION_URL="${TRANSACTION_URL:-http://$FIDALEX_HOST:$FIDALEX_TRANSACTION_PORT}"
export PAYMENT_URL="${PAYMENT_URL:-http://$FIDALEX_HOST:$FIDALEX_PAYMENT_PORT}"
export LOAN_URL="${LOAN_URL:-http://$FIDALEX_HOST:$FIDALEX_LOAN_PORT}"
export CHATBOT_URL="${CHATBOT_URL:-http://$FIDALEX_HOST:$FIDALEX_CHATBOT_PORT}"
export INSIGHTS_URL="${INSIGHTS_URL:-http://$FIDALEX_HOST:$FIDALEX_INSIGHTS_PORT}"
export PROCESSOR_URL="${PROCESSOR_URL:-http://$FIDALEX_HOST:$FIDALEX_PROCESSOR_PORT}"
# The sandbox's settlement delays: WIRE and ACH payments stay PENDING this long (README, "Payments").
export FIDALEX_SANDBOX_WIRE_SETTLE_MS="${FIDALEX_SANDBOX_WIRE_SETTLE_MS:-5000}"
export FIDALEX_SANDBOX_ACH_SETTLE_MS="${FIDALEX_SANDBOX_ACH_SETTLE_MS:-3000}"
# Dev-only secrets (never used outside this stack): the bootstrap admin, the services' client
# credentials for internal RPCs, and the file the Auth service's signing key is generated into.
export BOOTSTRAP_ADMIN_USERNAME="${BOOTSTRAP_ADMIN_USERNAME:-admin}"
export BOOTSTRAP_ADMIN_EMAIL="${BOOTSTRAP_ADMIN_EMAIL:-admin@fidalex.test}"
export BOOTSTRAP_ADMIN_PASSWORD="${BOOTSTRAP_ADMIN_PASSWORD:-Dev-Only-Root-Key-2026}"
# The services the stack runs, in start order: one per env template in stack/services/ (adding a
# service adds its template, not a line here), auth first, since the others verify tokens against it.
_fidalex_services() {
  local file name list=""
  for file in "$FIDALEX_REPO_DIR"/stack/services/*.env; do
    [[ -e $file ]] || continue
    name=${file##*/} name=${name%.env}
    if [[ $name == auth ]]; then list="auth$list"; else list+=" $name"; fi
  done
  printf '%s' "${list# }"
}
FIDALEX_SERVICES=$(_fidalex_services)
export FIDALEX_SERVICES
# A client secret for each service whose template declares SERVICE_CLIENT_ID (for internal RPCs):
# FIDALEX_<NAME>_CLIENT_SECRET, by default <name>-dev-client-secret, and the Auth service's list of
# them, SERVICE_CLIENT_SECRETS (<client id>=<secret>,...).
_fidalex_client_secrets() {
  local name id var list=""
  for name in $FIDALEX_SERVICES; do
    id=$(sed -n 's/^SERVICE_CLIENT_ID=//p' "$FIDALEX_REPO_DIR/stack/services/$name.env")
    [[ -n $id ]] || continue
    var="FIDALEX_${name^^}_CLIENT_SECRET"
    export "$var=${!var:-$name-dev-client-secret}"
    list+="${list:+,}$id=${!var}"
  done
  export SERVICE_CLIENT_SECRETS="${SERVICE_CLIENT_SECRETS:-$list}"
}
_fidalex_client_secrets
# A Redis ACL user for each service whose template sets REDIS_URL: <name>_svc, its password
# FIDALEX_<NAME>_REDIS_PASSWORD (by default <name>-redis-dev-pw) and its URL FIDALEX_<NAME>_REDIS_URL;
# FIDALEX_REDIS_SERVICE_USERS lists the names (stack/components/redis.sh writes the ACL file).
_fidalex_redis_users() {
  local name var list=""
  for name in $FIDALEX_SERVICES; do
    grep -q '^REDIS_URL=' "$FIDALEX_REPO_DIR/stack/services/$name.env" || continue
    var="FIDALEX_${name^^}_REDIS_PASSWORD"
    export "$var=${!var:-$name-redis-dev-pw}"
    export "FIDALEX_${name^^}_REDIS_URL=redis://${name}_svc:${!var}@$FIDALEX_HOST:$FIDALEX_REDIS_PORT"
    list+="${list:+ }$name"
  done
  export FIDALEX_REDIS_SERVICE_USERS="$list"
}
_fidalex_redis_users
unset -f _fidalex_services _fidalex_client_secrets _fidalex_redis_users
# Every local client shares 127.0.0.1, so repeated test runs would soon spend the Auth service's
# per-address budget of failed logins (20 per 15 minutes in production); the local stack allows more.
export FIDALEX_LOGIN_MAX_FAILURES_PER_ADDRESS="${FIDALEX_LOGIN_MAX_FAILURES_PER_ADDRESS:-100}"
# Likewise registrations and password resets (20 per address and hour in production): the test
# suites register thousands of users from 127.0.0.1. Per-target limits stay as in production.
export FIDALEX_REGISTRATIONS_PER_ADDRESS_PER_HOUR="${FIDALEX_REGISTRATIONS_PER_ADDRESS_PER_HOUR:-1000000}"
export FIDALEX_PASSWORD_RESETS_PER_ADDRESS_PER_HOUR="${FIDALEX_PASSWORD_RESETS_PER_ADDRESS_PER_HOUR:-1000000}"
# Envoy's proof on the calls it forwards (x-fidalex-edge), which the Auth service checks before it
# believes a forwarded client address. Dev-only, like the other secrets here.
export FIDALEX_EDGE_SECRET="${FIDALEX_EDGE_SECRET:-dev-only-edge-proof-2026}"
export JWT_KEYS_FILE="${JWT_KEYS_FILE:-$FIDALEX_STACK_DIR/secrets/jwt-signing-keys.json}"
