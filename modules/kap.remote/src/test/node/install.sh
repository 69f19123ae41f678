#!/usr/bin/env bash
# Installs playwright-core (pinned by package-lock.json) into node_modules next to this script, for kap.remote's
# BrowserTest, which drives Debian's chromium with it. No browser is downloaded: the test uses /usr/bin/chromium.
# Runs `npm ci` only when node_modules is missing or older than the lock file.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
if [ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "kap: the remote UI test needs node and npm (Node 20 or newer); install them (apt-get install nodejs npm)" >&2
  exit 1
fi
echo "kap: installing playwright-core for the remote UI test (npm ci in $here)" >&2
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >&2
