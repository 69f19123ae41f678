#!/usr/bin/env bash
# Installs the real programs kap's tests drive when they are missing, then the npm test fixtures, creates the
# unprivileged user kaptest that kap run's tests use, and starts the Docker engine the end-to-end tests need. Needs
# root, or sudo. Safe to run again: it installs only what is absent and starts dockerd only if no engine answers.
#   dig, dnsmasq, sshd (with bwrap), socat, curl, git: the listener tests
#   Debian's gh and aws, node: kap.clix (s3rver) and kap.mcp (MCP SDK) fixtures
#   chromium, openssl: kap.remote (playwright-core) browser and TLS tests
#   util-linux, iproute2, bsdutils, perl: kap run's tests
#   dockerd (docker.io), busybox-static, docker-compose, the devcontainer CLI (npm, pinned in e2e/devcontainer-cli):
#   the docker runtime's end-to-end tests (e2e/)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# the MCP proxy's tests drive the official MCP SDK and server-everything from npm (pinned by package-lock.json)
"$here/modules/kap.mcp/src/test/node/install.sh"

# kap run's tests run it as root and as this unprivileged user (they run it with setpriv when they run as root)
if [ "$(id -u)" -eq 0 ] && ! id kaptest >/dev/null 2>&1; then
  echo "kap: creating the unprivileged test user kaptest" >&2
  useradd --create-home --shell /bin/sh kaptest
fi

# command -> Debian package
declare -A needs=(
  [dig]=dnsutils
  [dnsmasq]=dnsmasq
  [sshd]=openssh-server
  # sshd as root needs /run/sshd, which no service made in a container: the SSH test gives it one with bubblewrap
  [bwrap]=bubblewrap
  [ssh]=openssh-client
  [socat]=socat
  [curl]=curl
  [git]=git
  [node]=nodejs
  [npm]=npm
  # kap.remote's BrowserTest drives it headless through the phone UI; its TLS test makes a certificate with openssl
  [chromium]=chromium
  [openssl]=openssl
  [dockerd]=docker.io
  [docker-compose]=docker-compose
  # kap run: unshare and setpriv (util-linux), the tests' network namespace (ip), a pseudo-terminal (script)
  [unshare]=util-linux
  [setpriv]=util-linux
  [ip]=iproute2
  [script]=bsdutils
  [perl]=perl-base
)
# the kap.clix tests run Debian's own CLIs from /usr/bin (another aws on PATH, say from pip, does not count)
declare -A debian_bins=(
  [gh]=gh
  [aws]=awscli
)

sudo=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
  sudo="sudo"
fi

missing=()
for cmd in "${!needs[@]}"; do
  if ! command -v "$cmd" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$cmd" ]; then
    missing+=("${needs[$cmd]}")
  fi
done
for cmd in "${!debian_bins[@]}"; do
  if [ ! -x "/usr/bin/$cmd" ]; then
    missing+=("${debian_bins[$cmd]}")
  fi
done
# the e2e test images are FROM scratch: busybox must be the static build
if [ ! -x /bin/busybox ] || ldd /bin/busybox >/dev/null 2>&1; then
  missing+=(busybox-static)
fi

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] && [ -z "$sudo" ]; then
    echo "kap tests need these Debian packages: ${missing[*]}; install them as root (apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "kap: installing test prerequisites: ${missing[*]}" >&2
  $sudo apt-get update -q >&2
  # dnsmasq's and docker.io's packages try to start system services; there are none in a container, which is fine
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 || {
    # the package may "fail" only in its post-install service start; accept it if the binaries are there
    for pkg in "${missing[@]}"; do dpkg -s "$pkg" >/dev/null 2>&1 || exit 1; done
  }
fi

"$here/modules/kap.clix/src/test/s3rver/install.sh"
# the remote UI test drives chromium with playwright-core from npm (pinned by package-lock.json)
"$here/modules/kap.remote/src/test/node/install.sh"

# the devcontainer CLI, pinned by e2e/devcontainer-cli/package-lock.json
cli="$here/e2e/devcontainer-cli"
if [ ! -x "$cli/node_modules/.bin/devcontainer" ]; then
  echo "kap: installing the devcontainer CLI (npm ci in e2e/devcontainer-cli)" >&2
  (cd "$cli" && npm ci --no-audit --no-fund >&2)
fi

# a Docker engine: start dockerd in the background unless one answers; wait for it with a deadline
if ! docker info >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ] && [ -z "$sudo" ]; then
    echo "kap: no Docker engine answers and starting dockerd needs root; the e2e tests will fail" >&2
    exit 0
  fi
  log=/var/log/kap-test-dockerd.log
  echo "kap: starting dockerd (log: $log)" >&2
  $sudo sh -c "nohup dockerd >$log 2>&1 &"
  for _ in $(seq 1 60); do
    if docker info >/dev/null 2>&1; then
      break
    fi
    sleep 1
  done
  if ! docker info >/dev/null 2>&1; then
    echo "kap: dockerd did not answer within 60 s; see $log" >&2
    tail -20 "$log" >&2 || true
    exit 1
  fi
fi
