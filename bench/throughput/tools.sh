#!/usr/bin/env bash
# Installs the load tools of the throughput benchmark, only what is missing, and prints where they
# are: ghz (gRPC load, Go module proxy, pinned) into the stack's folder, wrk (HTTP/1.1 load with Lua
# request scripts, Debian package). pgbench comes with the stack's PostgreSQL packages.
#
#   bash bench/throughput/tools.sh      → prints GHZ=… WRK=… PGBENCH=… lines
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
stack_dir="${FIDALEX_STACK_DIR:-$repo/.stack}"
ghz_version=v0.120.0
tools="$stack_dir/tools"
say() { echo "bench tools: $*" >&2; }

ghz="$tools/bin/ghz"
# `go install` builds carry no version of their own: a stamp file beside the binary records it.
if [[ ! -x $ghz || "$(cat "$ghz.version" 2>/dev/null)" != "$ghz_version" ]]; then
  command -v go >/dev/null || { say "go not found"; exit 1; }
  say "installing ghz $ghz_version (Go module proxy) into $tools/bin"
  mkdir -p "$tools/bin"
  GOBIN="$tools/bin" GOMODCACHE="$stack_dir/cache/gomod" GOFLAGS=-modcacherw GOTOOLCHAIN=local \
    go install "github.com/bojand/ghz/cmd/ghz@$ghz_version" >"$stack_dir/logs/install-ghz.log" 2>&1 ||
    { say "go install failed (log: $stack_dir/logs/install-ghz.log)"; exit 1; }
  echo "$ghz_version" >"$ghz.version"
fi

if ! command -v wrk >/dev/null; then
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo -n)
  say "installing wrk (Debian package)"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q wrk >"$stack_dir/logs/install-wrk.log" 2>&1 ||
    { say "apt-get install wrk failed (log: $stack_dir/logs/install-wrk.log)"; exit 1; }
fi

pgbench=/usr/lib/postgresql/15/bin/pgbench
[[ -x $pgbench ]] || { say "pgbench not found at $pgbench (it comes with postgresql-15)"; exit 1; }

echo "GHZ=$ghz"
echo "WRK=$(command -v wrk)"
echo "PGBENCH=$pgbench"
