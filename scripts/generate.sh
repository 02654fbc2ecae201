#!/usr/bin/env bash
# Generates everything that derives from proto/: TypeScript (gen/ts), Go (gen/go, a Go module),
# Python (gen/python, a pip-installable package), the OpenAPI document (gen/openapi), all
# committed, and Envoy's descriptor set (build/, git-ignored).
# Runs offline once the registry packages and the generators (scripts/install-tools.sh) are there.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/fetch-third-party-protos.sh
bash scripts/install-tools.sh

export PATH="$PWD/node_modules/.bin:$PATH"
buf generate --template buf.gen.yaml
buf generate --template buf.gen.third-party.yaml
buf generate --template buf.gen.openapi.yaml
# Go: gen/go keeps its go.mod and go.sum; only the generated packages are written anew.
rm -rf gen/go/fidalex
buf generate --template buf.gen.go.yaml
bash scripts/generate-python.sh
mkdir -p build
# Envoy's grpc_json_transcoder loads a FileDescriptorSet with every import included; the OpenAPI
# document's finishing reads the contracts' rules from it.
buf build --as-file-descriptor-set -o build/fidalex.binpb
node scripts/finish-openapi.mjs gen/openapi/fidalex.swagger.json build/fidalex.binpb
echo "generate: gen/ts, gen/go, gen/python, gen/openapi and build/fidalex.binpb are up to date" >&2
