#!/usr/bin/env bash
# Lints every shell script of the repository (*.sh and .ci/run) with shellcheck at severity
# warning; CI's lint step runs it. Installs Debian's shellcheck when it is missing: with apt-get as
# root, otherwise through `sudo -n`, since a password prompt would hang CI.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v shellcheck >/dev/null; then
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    if ! sudo -n true 2>/dev/null; then
      echo "lint-shell: shellcheck is missing and sudo needs a password; run: sudo apt-get install -y shellcheck" >&2
      exit 1
    fi
    sudo=(sudo -n)
  fi
  echo "lint-shell: installing shellcheck (apt-get)" >&2
  "${sudo[@]}" apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q shellcheck >/dev/null
fi

# Tracked and new files alike, so a script is checked before its first commit too.
mapfile -t scripts < <(git ls-files --cached --others --exclude-standard -- '*.sh' .ci/run)
shellcheck -S warning "${scripts[@]}"
echo "lint-shell: shellcheck -S warning found nothing in ${#scripts[@]} scripts" >&2
