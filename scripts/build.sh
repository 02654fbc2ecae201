#!/usr/bin/env bash
# Compiles the services (and the generated code they import) into dist/, with the SQL
# migrations beside the modules that apply them.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf dist
npx tsc -p tsconfig.build.json
while IFS= read -r -d '' file; do
  mkdir -p "dist/$(dirname "$file")"
  cp "$file" "dist/$file"
done < <(find services -path '*/migrations/*.sql' -print0)
echo "build: services compiled into dist/" >&2
