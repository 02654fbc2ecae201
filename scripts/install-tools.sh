#!/usr/bin/env bash
# Installs the code generators that do not come with npm, once per version, into .tools/
# (git-ignored):
#   .tools/bin     protoc-gen-openapiv2, protoc-gen-go and protoc-gen-go-grpc, built with `go install`
#                  from the Go module proxy (GOBIN);
#   .tools/venv    a Python virtual environment with grpcio-tools (protoc with the Python and gRPC
#                  generators) and mypy-protobuf (.pyi stubs of the gRPC stubs) from PyPI, pinned by
#                  scripts/python-constraints.txt; clients/python's tests install into it too.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=.tools/bin
mkdir -p "$bin"
# go_install NAME MODULE_PATH VERSION: one Go-built generator, at exactly that version.
go_install() {
  local name=$1 path=$2 version=$3
  local stamp="$bin/.$name-$version"
  [[ -f "$stamp" && -x "$bin/$name" ]] && return 0
  echo "install-tools: building $name $version with go install" >&2
  GOBIN="$PWD/$bin" go install "$path@$version"
  rm -f "$bin/.$name-"*
  touch "$stamp"
}
go_install protoc-gen-openapiv2 github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-openapiv2 v2.33.0
go_install protoc-gen-go google.golang.org/protobuf/cmd/protoc-gen-go v1.36.12
go_install protoc-gen-go-grpc google.golang.org/grpc/cmd/protoc-gen-go-grpc v1.6.2

bash scripts/python-venv.sh grpcio-tools mypy-protobuf
