# shellcheck shell=bash
# Apache Kafka in KRaft mode: one JVM as broker and controller, its storage formatted once.
# Sourced by stack.sh.

kafka_ready() { port_open "$FIDALEX_KAFKA_PORT" && grep -q 'Kafka Server started' "$LOGS/kafka.log"; }
kafka_ports() { echo "$FIDALEX_KAFKA_PORT $FIDALEX_KAFKA_CONTROLLER_PORT"; }
kafka_state() {
  pid_alive "$RUN/kafka.pid" && port_open "$FIDALEX_KAFKA_PORT" &&
    echo "up    $FIDALEX_HOST:$FIDALEX_KAFKA_PORT, controller :$FIDALEX_KAFKA_CONTROLLER_PORT (pid $(cat "$RUN/kafka.pid"), Kafka $KAFKA_VERSION)"
}

# java_cmd HEAP MAIN ARGS...: the command line of a Kafka JVM (the broker or the Connect worker),
# into the array JAVA_CMD. HEAP is one string of JVM options, split on spaces on purpose.
java_cmd() {
  local heap
  read -ra heap <<<"$1"
  shift
  JAVA_CMD=(java "${heap[@]}" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true
    -Dlog4j2.configurationFile="$CONF/log4j2.yaml" -cp "$KAFKA_LIBS/*" "$@")
}

# format_kafka: KRaft storage needs a cluster id before the first start; both are kept for good.
format_kafka() {
  [[ -f $S/kafka/data/meta.properties ]] && return 0
  [[ -f $S/kafka/cluster.id ]] ||
    head -c 16 /dev/urandom | base64 | tr '+/' '-_' | cut -c1-22 >"$S/kafka/cluster.id"
  say "formatting kafka storage (cluster $(cat "$S/kafka/cluster.id"))"
  java -cp "$KAFKA_LIBS/*" -Dlog4j2.configurationFile="$CONF/log4j2.yaml" kafka.tools.StorageTool format \
    -t "$(cat "$S/kafka/cluster.id")" -c "$S/kafka/server.properties" >"$LOGS/kafka-format.log" 2>&1 ||
    die "kafka storage format failed" "$LOGS/kafka-format.log"
}

start_kafka() {
  mkdir -p "$S/kafka/data"
  render "$CONF/kafka-server.properties" "$S/kafka/server.properties"
  java_cmd "$FIDALEX_KAFKA_HEAP" kafka.Kafka "$S/kafka/server.properties"
  local spec
  spec=$(SPEC_EXTRA="${JAVA_CMD[*]} $KAFKA_VERSION" spec_of "$S/kafka/server.properties" "$CONF/log4j2.yaml")
  running_as kafka "$spec" && return 0
  require_free_port kafka "$FIDALEX_KAFKA_PORT"
  require_free_port kafka-controller "$FIDALEX_KAFKA_CONTROLLER_PORT"
  format_kafka
  launch kafka "$spec" "${JAVA_CMD[@]}"
}
