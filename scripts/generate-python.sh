#!/usr/bin/env bash
# Writes the Python code of our contracts into the package gen/python (pyproject.toml there):
# messages (_pb2.py) with their stubs (_pb2.pyi), and for each file that declares a service the
# gRPC stubs (_pb2_grpc.py, with _pb2_grpc.pyi from mypy-protobuf). protoc is grpcio-tools'.
# Imports resolve from PyPI packages: google.api from googleapis-common-protos, google.protobuf
# from protobuf. PyPI's protovalidate validates these messages but ships no google.protobuf code
# for buf/validate/validate.proto, which ours import, so buf.validate is generated here too, from
# the same release of validate.proto the TypeScript runtime uses (third_party/, fetched from
# Maven Central). scripts/generate.sh runs this after scripts/install-tools.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.tools/venv
out=gen/python
wkt=$("$venv/bin/python" -c 'import grpc_tools, os; print(os.path.join(os.path.dirname(grpc_tools.__file__), "_proto"))')
protoc=("$venv/bin/python" -m grpc_tools.protoc -I proto -I third_party/proto -I "$wkt")

mapfile -t files < <(cd proto && find fidalex -name '*.proto' | LC_ALL=C sort)
mapfile -t services < <(cd proto && grep -l '^service ' "${files[@]}")

rm -rf "$out/fidalex" "$out/buf"
"${protoc[@]}" --python_out="$out" --pyi_out="$out" "${files[@]}" buf/validate/validate.proto
"${protoc[@]}" --plugin=protoc-gen-mypy_grpc="$venv/bin/protoc-gen-mypy_grpc" \
  --grpc_python_out="$out" --mypy_grpc_out="$out" --mypy_grpc_opt=quiet "${services[@]}"
# PEP 561: the stubs are the package's types.
touch "$out/fidalex/py.typed"
