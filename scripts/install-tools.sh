#!/usr/bin/env bash
# Installs the Go-built code generators into .tools/bin (git-ignored), once per version.
set -euo pipefail
cd "$(dirname "$0")/.."

openapiv2_version=v2.33.0
bin=.tools/bin
stamp="$bin/.protoc-gen-openapiv2-$openapiv2_version"
if [[ ! -f "$stamp" ]]; then
  echo "install-tools: building protoc-gen-openapiv2 $openapiv2_version with go install" >&2
  mkdir -p "$bin"
  GOBIN="$PWD/$bin" go install "github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-openapiv2@$openapiv2_version"
  touch "$stamp"
fi
