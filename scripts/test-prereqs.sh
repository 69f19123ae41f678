#!/usr/bin/env bash
# Installs the real programs kap's tests drive (dig, dnsmasq, sshd, socat, curl, git, Debian's gh and aws, node,
# chromium, openssl, util-linux, iproute2) when they are missing, then the npm test fixtures (s3rver for kap.clix,
# playwright-core for kap.remote), and creates the unprivileged user kaptest that kap run's tests use.
# Needs root, or sudo. Safe to run again: it installs only what is absent and starts nothing.
set -euo pipefail

# the MCP proxy's tests drive the official MCP SDK and server-everything from npm (pinned by package-lock.json)
"$(dirname "${BASH_SOURCE[0]}")/../modules/kap.mcp/src/test/node/install.sh"

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
  [ssh]=openssh-client
  [socat]=socat
  [curl]=curl
  [git]=git
  [node]=nodejs
  [npm]=npm
  # kap.remote's BrowserTest drives it headless through the phone UI; its TLS test makes a certificate with openssl
  [chromium]=chromium
  [openssl]=openssl
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
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fixtures() {
  "$here/modules/kap.clix/src/test/s3rver/install.sh"
  # the remote UI test drives chromium with playwright-core from npm (pinned by package-lock.json)
  "$here/modules/kap.remote/src/test/node/install.sh"
}
if [ ${#missing[@]} -eq 0 ]; then
  fixtures
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
  else
    echo "kap tests need these Debian packages: ${missing[*]}; install them as root (apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi
echo "kap: installing test prerequisites: ${missing[*]}" >&2
$sudo apt-get update -q >&2
# dnsmasq's package tries to start a system service; there is none in a container, which is fine
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 || {
  # the package may "fail" only in its post-install service start; accept it if the binaries are there
  for pkg in "${missing[@]}"; do dpkg -s "$pkg" >/dev/null 2>&1 || exit 1; done
}
fixtures
