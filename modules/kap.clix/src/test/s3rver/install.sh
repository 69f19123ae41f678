#!/usr/bin/env bash
# Installs the pinned s3rver (a local S3-compatible server for kap.clix's aws tests) into node_modules here.
# Called by scripts/test-prereqs.sh; safe to run again: it does nothing when the pinned install is present.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
if [ -x node_modules/.bin/s3rver ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  exit 0
fi
echo "kap: installing s3rver for kap.clix tests (npm ci in $here)" >&2
npm ci --no-audit --no-fund --loglevel=error >&2
