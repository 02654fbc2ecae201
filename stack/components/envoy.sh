# shellcheck shell=bash
# Envoy, the edge in front of the services: envoy/envoy.yaml rendered with env.sh's values.
# Sourced by stack.sh.

envoy_ready() { [[ "$(curl -fsS -m 3 "$ENVOY_ADMIN_URL/ready" 2>/dev/null)" == LIVE ]]; }
envoy_ports() { echo "$FIDALEX_ENVOY_PORT $FIDALEX_ENVOY_ADMIN_PORT"; }
envoy_state() { envoy_ready && echo "up    $ENVOY_URL, admin $ENVOY_ADMIN_URL (pid $(cat "$RUN/envoy.pid"), Envoy $ENVOY_VERSION)"; }

# cors_origin_matchers: FIDALEX_CORS_ALLOWED_ORIGINS (space-separated origins) as the CORS policy's
# list of exact matches; an entry that is not scheme://host[:port] stops `up` with its name.
cors_origin_matchers() {
  local origin list=""
  for origin in $FIDALEX_CORS_ALLOWED_ORIGINS; do
    [[ $origin =~ ^https?://[A-Za-z0-9.-]+(:[0-9]+)?$ ]] ||
      die "FIDALEX_CORS_ALLOWED_ORIGINS: '$origin' is not an origin (scheme://host[:port], no path)"
    list+="${list:+, }{ exact: \"$origin\" }"
  done
  printf '[%s]' "$list"
}

# A configuration Envoy rejects is reported from `--mode validate`, whose log says why, rather than
# from a daemon that exits during start-up.
start_envoy() {
  mkdir -p "$S/envoy"
  FIDALEX_ENVOY_CORS_ORIGINS=$(cors_origin_matchers)
  export FIDALEX_ENVOY_CORS_ORIGINS
  render "$FIDALEX_REPO_DIR/envoy/envoy.yaml" "$S/envoy/envoy.yaml"
  local cmd=("$(envoy_bin)" -c "$S/envoy/envoy.yaml" --disable-hot-restart --concurrency 1 --log-level info)
  local spec
  spec=$(SPEC_EXTRA="${cmd[*]} $ENVOY_VERSION" spec_of "$S/envoy/envoy.yaml" \
    "$FIDALEX_REPO_DIR/envoy/edge.lua" "$FIDALEX_REPO_DIR/gen/openapi/fidalex.swagger.json")
  running_as envoy "$spec" && return 0
  require_free_port envoy "$FIDALEX_ENVOY_PORT"
  require_free_port envoy-admin "$FIDALEX_ENVOY_ADMIN_PORT"
  "$(envoy_bin)" --mode validate -c "$S/envoy/envoy.yaml" >"$LOGS/envoy-validate.log" 2>&1 ||
    die "envoy rejected its configuration (envoy/envoy.yaml)" "$LOGS/envoy-validate.log"
  launch envoy "$spec" "${cmd[@]}"
}
