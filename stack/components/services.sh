# shellcheck shell=bash
# The services: one per env template in stack/services/<name>.env (env.sh lists them in
# FIDALEX_SERVICES, auth first), each run as `node dist/services/<name>/main.js`. The template holds
# what is particular to the service; start_service adds what every service gets. Sourced by stack.sh.

SERVICE_TEMPLATES="$STACK_SRC/services"
read -ra SERVICES <<<"$FIDALEX_SERVICES"

# service_port NAME: the service's port, FIDALEX_<NAME>_PORT of env.sh (empty when undefined).
service_port() {
  local var="FIDALEX_${1^^}_PORT"
  echo "${!var:-}"
}
services_ports() {
  local name
  for name in "${SERVICES[@]}"; do service_port "$name"; done
}
service_ready() {
  curl -fsS -m 3 --http2-prior-knowledge -X POST -H 'content-type: application/json' -d '{}' \
    "http://$FIDALEX_HOST:$(service_port "$1")/grpc.health.v1.Health/Check" 2>/dev/null | grep '"SERVING"' >/dev/null
}
service_state() {
  service_ready "$1" && echo "up    $FIDALEX_HOST:$(service_port "$1") (pid $(cat "$RUN/$1.pid"), log $LOGS/$1.log)"
}

# source_digest PATH...: a digest of the sources under PATHs, to rebuild only after a change.
source_digest() {
  (cd "$FIDALEX_REPO_DIR" && find "$@" -type f -not -path '*/test/*' -print0 2>/dev/null |
    sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
}

# npm packages, the generated code (its third-party part is git-ignored) and the compiled services.
# A subshell, so that the cd into the repository stays in it.
prepare_code() (
  cd "$FIDALEX_REPO_DIR" || die "cannot enter $FIDALEX_REPO_DIR"
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
)

# check_services: every template names a service that can run, before anything is started, so a
# half-added service fails `up` at once and says what is missing.
check_services() {
  local name
  for name in "${SERVICES[@]}"; do
    [[ $name =~ ^[a-z][a-z0-9]*$ ]] ||
      die "stack/services/$name.env: a service name is lower-case letters and digits (it names FIDALEX_<NAME>_PORT)"
    [[ -n $(service_port "$name") ]] ||
      die "service $name (stack/services/$name.env) has no port: define FIDALEX_${name^^}_PORT in stack/env.sh"
    [[ -f $FIDALEX_REPO_DIR/dist/services/$name/main.js ]] ||
      die "service $name (stack/services/$name.env) has no dist/services/$name/main.js: is there a services/$name/main.ts?"
  done
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

# write_service_env NAME: run/NAME.env, what every service gets followed by its rendered template,
# in a 0600 file that node reads with --env-file, so no secret is ever on a command line.
write_service_env() {
  local name=$1 envfile="$RUN/$1.env"
  (
    umask 077
    render "$SERVICE_TEMPLATES/$name.env" "$envfile.template"
    {
      printf '%s\n' "PORT=$(service_port "$name")" "HOST=$FIDALEX_HOST" "NODE_ENV=development" \
        "LOG_LEVEL=${FIDALEX_LOG_LEVEL:-info}" "AUTH_URL=$AUTH_URL"
      cat "$envfile.template"
    } >"$envfile.tmp"
    rm -f "$envfile.template"
    mv "$envfile.tmp" "$envfile"
  )
}

# start_service NAME: (re)start NAME when its environment or the compiled code changed.
start_service() {
  local name=$1 envfile="$RUN/$1.env"
  write_service_env "$name"
  local cmd=(env -i "PATH=$PATH" "HOME=${HOME:-/root}" node --enable-source-maps "--env-file=$envfile"
    "$FIDALEX_REPO_DIR/dist/services/$name/main.js")
  local spec
  spec=$(SPEC_EXTRA="${cmd[*]} $(cat "$RUN/build.spec")" spec_of "$envfile")
  running_as "$name" "$spec" && return 0
  require_free_port "$name" "$(service_port "$name")"
  launch "$name" "$spec" "${cmd[@]}"
}

# start_services: one at a time in FIDALEX_SERVICES order, each ready before the next: each migrates
# its database at start, and the others verify tokens against Auth, which comes first.
start_services() {
  ensure_signing_key
  stop_retired_services
  local name
  for name in "${SERVICES[@]}"; do
    start_service "$name"
    wait_for "$name" "$FIDALEX_HOST:$(service_port "$name")" 120 "$LOGS/$name.log" "$RUN/$name.pid" service_ready "$name"
  done
}

# stop_retired_services: a service whose template was removed still has its env file in run/; stop it.
stop_retired_services() {
  local envfile name
  for envfile in "$RUN"/*.env; do
    [[ -e $envfile ]] || continue
    name=$(basename "$envfile" .env)
    [[ " ${SERVICES[*]} " == *" $name "* ]] && continue
    say "service $name has no stack/services/$name.env any more"
    stop_pid "$name" 30
    rm -f "$envfile"
  done
}

stop_services() {
  stop_retired_services
  local name
  for name in "${SERVICES[@]}"; do stop_pid "$name" 30 & done
  wait
}
