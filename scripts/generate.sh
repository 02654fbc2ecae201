#!/usr/bin/env bash
# Generates everything that derives from proto/: TypeScript (gen/ts, committed), the OpenAPI
# document (gen/openapi, committed) and Envoy's descriptor set (build/, git-ignored).
# Runs offline once the registry packages and the Go plugin are installed.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/fetch-third-party-protos.sh
bash scripts/install-tools.sh

export PATH="$PWD/node_modules/.bin:$PATH"
buf generate --template buf.gen.yaml
buf generate --template buf.gen.third-party.yaml
buf generate --template buf.gen.openapi.yaml
node scripts/finish-openapi.mjs gen/openapi/fidalex.swagger.json
mkdir -p build
# Envoy's grpc_json_transcoder loads a FileDescriptorSet with every import included.
buf build --as-file-descriptor-set -o build/fidalex.binpb
echo "generate: gen/ts, gen/openapi and build/fidalex.binpb are up to date" >&2
