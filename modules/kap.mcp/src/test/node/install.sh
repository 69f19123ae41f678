#!/usr/bin/env bash
# Installs the pinned MCP counterparts (package-lock.json) that kap.mcp's tests and bench/mcp.sh run, into
# node_modules next to this script. Runs `npm ci` only when node_modules is missing or older than the lock file.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
if [ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "kap: installing nodejs and npm for the MCP tests" >&2
    apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nodejs npm >&2
  else
    echo "kap: the MCP tests need node and npm (Node 18 or newer); install them (apt-get install nodejs npm)" >&2
    exit 1
  fi
fi
echo "kap: installing the MCP test counterparts (npm ci in $here)" >&2
npm ci --no-audit --no-fund --loglevel=error >&2
