#!/usr/bin/env bash
# Usage: bash scripts/clients.sh lint|test
# The example clients on the generated code: clients/go (module github.com/fidalex/mesh/clients/go,
# using gen/go by path) and clients/python (package fidalex-client, installed with gen/python into
# the pinned venv .tools/venv by scripts/python-venv.sh).
#   lint  gofmt and go vet over gen/go and clients/go; ruff (lint and format) and mypy (strict,
#         over the generated .pyi stubs) over clients/python. Needs no running mesh.
#   test  go test ./... in clients/go and pytest in clients/python, against the running mesh
#         (Envoy at FIDALEX_HOST:FIDALEX_ENVOY_PORT from stack/env.sh). Prints one line
#         "clients: N passed, N failed, N skipped" and writes the counts to
#         build/clients-results.json for .ci/run's total.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-}
[[ $mode == lint || $mode == test ]] || {
  echo "usage: bash scripts/clients.sh lint|test" >&2
  exit 2
}
bash scripts/python-venv.sh -e 'gen/python[validate]' -e 'clients/python[test]'
venv_bin=$PWD/.tools/venv/bin

if [[ $mode == lint ]]; then
  unformatted=$(gofmt -l gen/go clients/go)
  if [[ -n "$unformatted" ]]; then
    echo "clients: gofmt would change: $unformatted" >&2
    exit 1
  fi
  (cd gen/go && go vet ./...)
  (cd clients/go && go vet ./...)
  cd clients/python
  "$venv_bin/ruff" check .
  "$venv_bin/ruff" format --check .
  "$venv_bin/mypy"
  echo "clients: gofmt, go vet, ruff and mypy found nothing" >&2
  exit 0
fi

# shellcheck source=../stack/env.sh
source stack/env.sh
mkdir -p build
rm -f build/clients-results.json
status=0
echo "clients: go test ./... in clients/go (Envoy at $FIDALEX_HOST:$FIDALEX_ENVOY_PORT)" >&2
# -count=1: the results depend on the mesh, which Go's test cache cannot see.
(cd clients/go && go test -count=1 -v ./...) 2>&1 | tee build/clients-go-test.log || status=1
echo "clients: pytest in clients/python" >&2
(cd clients/python && "$venv_bin/pytest" --junitxml=../../build/clients-pytest.xml) || status=1

# One line for both runners, from go test's verdict lines and pytest's JUnit report.
"$venv_bin/python" - <<'PY'
import json, re, xml.etree.ElementTree as ET
from pathlib import Path

counts = {"passed": 0, "failed": 0, "skipped": 0}
go_log = Path("build/clients-go-test.log")
for verdict in re.findall(r"^\s*--- (PASS|FAIL|SKIP):", go_log.read_text() if go_log.exists() else "", re.M):
    counts[{"PASS": "passed", "FAIL": "failed", "SKIP": "skipped"}[verdict]] += 1
report = Path("build/clients-pytest.xml")
for suite in ET.parse(report).getroot().iter("testsuite") if report.exists() else []:
    failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    skipped = int(suite.get("skipped", 0))
    counts["failed"] += failed
    counts["skipped"] += skipped
    counts["passed"] += int(suite.get("tests", 0)) - failed - skipped
Path("build/clients-results.json").write_text(json.dumps(counts))
print(f"clients: {counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped")
PY
exit "$status"
