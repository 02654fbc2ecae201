#!/usr/bin/env bash
# Installs the field tools the edge's tests use, once per version, and prints where they are:
#   grpcurl       the real binary (`go install`, Go module proxy, pinned) into .tools/bin
#   schemathesis  (PyPI, pinned with its dependencies by scripts/python-constraints.txt) into .tools/venv
#
#   bash scripts/edge-tools.sh      → prints GRPCURL=… SCHEMATHESIS=… lines
set -euo pipefail
cd "$(dirname "$0")/.."

grpcurl_version=v1.9.4
schemathesis_version=4.32.5
bin=.tools/bin
say() { echo "edge tools: $*" >&2; }

grpcurl="$PWD/$bin/grpcurl"
# `go install` builds carry no version of their own: a stamp file beside the binary records it.
if [[ ! -x $grpcurl || "$(cat "$grpcurl.version" 2>/dev/null)" != "$grpcurl_version" ]]; then
  command -v go >/dev/null || { say "go not found (Go 1.26+ is needed, README.md)"; exit 1; }
  say "installing grpcurl $grpcurl_version (Go module proxy) into $bin"
  mkdir -p "$bin"
  GOBIN="$PWD/$bin" go install "github.com/fullstorydev/grpcurl/cmd/grpcurl@$grpcurl_version" >&2
  echo "$grpcurl_version" >"$grpcurl.version"
fi

bash scripts/python-venv.sh "schemathesis==$schemathesis_version"

echo "GRPCURL=$grpcurl"
echo "SCHEMATHESIS=$PWD/.tools/venv/bin/schemathesis"
