# shellcheck shell=bash
# The sandbox payment processor: the network the Payment service pays through in this stack, an
# HTTP/JSON API with deterministic outcomes (services/payment/processor/sandbox-processor.ts,
# README "Sandbox processor"). It is compiled with the services. Sourced by stack.sh.

processor_ready() { http_ok "$PROCESSOR_URL/health"; }
processor_ports() { echo "$FIDALEX_PROCESSOR_PORT"; }
processor_state() {
  processor_ready && echo "up    $PROCESSOR_URL (pid $(cat "$RUN/processor.pid"), sandbox payment processor)"
}

# Its settings go in run/processor.vars (run/*.env name services); the file's path on the command line
# also marks the process as this stack's (pid_alive).
start_processor() {
  local envfile="$RUN/processor.vars"
  printf '%s\n' "PORT=$FIDALEX_PROCESSOR_PORT" "HOST=$FIDALEX_HOST" \
    "SANDBOX_WIRE_SETTLE_MS=$FIDALEX_SANDBOX_WIRE_SETTLE_MS" "SANDBOX_ACH_SETTLE_MS=$FIDALEX_SANDBOX_ACH_SETTLE_MS" >"$envfile"
  local cmd=(env -i "PATH=$PATH" "HOME=${HOME:-/root}" node --enable-source-maps "--env-file=$envfile"
    "$FIDALEX_REPO_DIR/dist/services/payment/processor/sandbox-main.js")
  local spec
  spec=$(SPEC_EXTRA="${cmd[*]} $(cat "$RUN/build.spec")" spec_of "$envfile")
  running_as processor "$spec" && return 0
  require_free_port processor "$FIDALEX_PROCESSOR_PORT"
  launch processor "$spec" "${cmd[@]}"
}
