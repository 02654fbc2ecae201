#!/usr/bin/env bash
# Checks the contracts for changes that break existing clients (buf breaking, WIRE_JSON rules from
# buf.yaml) against an earlier commit: BREAKING_AGAINST, by default the previous commit (HEAD~1).
# Third-party protos are not in git, so the earlier contracts are built into an image with the
# current third_party/ beside them in a scratch workspace, which buf compares module by module.
# Runs offline.
set -euo pipefail
cd "$(dirname "$0")/.."

against="${BREAKING_AGAINST:-HEAD~1}"
if ! base=$(git rev-parse --verify --quiet "$against^{commit}"); then
  echo "breaking: no commit $against to compare with; nothing to check" >&2
  exit 0
fi
if ! git cat-file -e "$base:proto" 2>/dev/null || ! git cat-file -e "$base:buf.yaml" 2>/dev/null; then
  echo "breaking: $against ($base) has no contracts yet; nothing to check" >&2
  exit 0
fi

bash scripts/fetch-third-party-protos.sh
export PATH="$PWD/node_modules/.bin:$PATH"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git archive "$base" proto buf.yaml | tar -x -C "$work"
mkdir -p "$work/third_party"
cp -R third_party/proto "$work/third_party/proto"
buf breaking --against "$work"
echo "breaking: no breaking change against $against ($(git rev-parse --short "$base"))" >&2
