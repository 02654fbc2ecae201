#!/usr/bin/env bash
# Lints the contracts: buf lint (STANDARD + COMMENTS, from buf.yaml) and buf's formatting.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/fetch-third-party-protos.sh
export PATH="$PWD/node_modules/.bin:$PATH"
buf lint
if ! buf format proto --diff --exit-code; then
  echo "lint-proto: proto/ is not formatted; run \`npx buf format -w proto\`" >&2
  exit 1
fi
