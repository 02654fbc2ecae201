#!/usr/bin/env bash
# Usage: bash scripts/python-venv.sh REQUIREMENT...
# Installs the requirements (pip's arguments: names, `-e PATH`, `PATH[extra]`) into the repository's
# Python virtual environment .tools/venv (git-ignored; the system Python is left alone), creating it
# when missing. Every package, dependencies included, is pinned to the exact version
# scripts/python-constraints.txt names (PyPI). A second call with the same requirements, the same
# pins and the same local pyproject.toml files returns at once.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.tools/venv
constraints=scripts/python-constraints.txt

# What an install depends on: the pins, the requirements and the local projects' pyproject.toml.
key=$({
  cat "$constraints"
  printf '%s\n' "$@"
  for arg in "$@"; do
    local_project="${arg%%[*}/pyproject.toml"
    if [[ -f "$local_project" ]]; then cat "$local_project"; fi
  done
} | sha256sum | cut -c1-16)
stamp="$venv/.installed-$key"
[[ -f "$stamp" ]] && exit 0

if [[ ! -x "$venv/bin/python" ]]; then
  echo "python-venv: creating $venv with $(python3 --version)" >&2
  python3 -m venv "$venv" || {
    echo "python-venv: python3 -m venv failed; on Debian: apt-get install -y python3-venv" >&2
    exit 1
  }
fi
echo "python-venv: installing $* into $venv (pinned by $constraints)" >&2
# PIP_CONSTRAINT pins the build back end of local projects too (pip's isolated build environment).
PIP_CONSTRAINT="$PWD/$constraints" "$venv/bin/python" -m pip install \
  --disable-pip-version-check --no-input -q "$@"
touch "$stamp"
