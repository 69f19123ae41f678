#!/usr/bin/env bash
# DNS forwarder benchmark: kap.dns side by side with dnsmasq (and unbound when installed), each forwarding to the
# same local upstream (a dnsmasq serving *.bench.test from memory). Loopback only; every process it starts is stopped
# on exit. Needs: dnsmasq, dnsperf, optionally unbound (apt: dnsmasq dnsperf unbound), JDK 25 and Maven.
#
#   bench/dns.sh                      build kap, run every scenario, print a Markdown table
#   DURATION=20 CLIENTS=8 bench/dns.sh
#
# Scenarios (queries per second, dnsperf):
#   cached    100 allowed names, asked over and over: answered from each forwarder's cache
#   uncached  unique allowed names, each asked once: every query goes to the upstream
#   denied    names kap's policy denies (dnsmasq/unbound: a local NXDOMAIN zone); kap also writes an audit event each
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-5}"
CLIENTS="${CLIENTS:-4}"
OUTSTANDING="${OUTSTANDING:-200}"
UNIQUE="${UNIQUE:-400000}"

for tool in dnsmasq dnsperf; do
  command -v "$tool" >/dev/null || { echo "bench/dns.sh: $tool is not installed (apt-get install $tool)" >&2; exit 1; }
done
have_unbound=""
command -v unbound >/dev/null && have_unbound=yes

work="$(mktemp -d /tmp/kap-dns-bench.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# N distinct ports, each free for both UDP and TCP on loopback, in any state: below the kernel's ephemeral range,
# because the egress benchmark before this one leaves thousands of client ports there in TIME_WAIT
free_ports() {
  local p chosen=" "
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 12000))
    case "$chosen" in *" $p "*) continue ;; esac
    if [ -z "$(ss -Hanu "sport = :$p")" ] && [ -z "$(ss -Hant "sport = :$p")" ]; then
      chosen="$chosen$p "
      [ "$(echo $chosen | wc -w)" -eq "$1" ] && { echo $chosen; return 0; }
    fi
  done
  echo "no free ports" >&2; return 1
}

# waits until something answers DNS on the port
wait_dns() { # port [log of the server that should answer]
  for _ in $(seq 1 300); do
    if dig @127.0.0.1 -p "$1" ready.bench.test A +tries=1 +time=1 >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  echo "nothing answers on port $1" >&2
  [ -n "${2:-}" ] && [ -f "$2" ] && tail -20 "$2" >&2
  return 1
}

echo "building kap..." >&2
# shellcheck source=../scripts/java-env.sh
source "$root/scripts/java-env.sh"
(cd "$root" && mvn -q -B -o package -DskipTests -pl modules/kap.cli -am >&2)
cli="$root/modules/kap.cli/target"
jar=$(ls "$cli"/kap-cli-*.jar | grep -v -e sources -e tests | head -1)

read -r up dm kp ub admin egress < <(free_ports 6)
[ -n "$egress" ] || exit 1

# the shared upstream: answers every *.bench.test name from memory, caches nothing
dnsmasq --no-daemon --conf-file=/dev/null --no-resolv --no-hosts --user=root --group=root --bind-interfaces \
  --listen-address=127.0.0.1 --port="$up" --address=/bench.test/93.184.216.34 --local-ttl=3600 --cache-size=0 \
  --pid-file="$work/up.pid" --dns-forward-max=10000 >"$work/upstream.log" 2>&1 &
pids+=($!)

# the peer forwarder: dnsmasq with a 10,000-entry cache, denied.test answered NXDOMAIN locally
dnsmasq --no-daemon --conf-file=/dev/null --no-resolv --no-hosts --user=root --group=root --bind-interfaces \
  --listen-address=127.0.0.1 --port="$dm" --server="127.0.0.1#$up" --cache-size=10000 --dns-forward-max=10000 \
  --address=/denied.test/ --pid-file="$work/dm.pid" >"$work/dnsmasq.log" 2>&1 &
pids+=($!)

if [ -n "$have_unbound" ]; then
  cat >"$work/unbound.conf" <<CONF
server:
  interface: 127.0.0.1@$ub
  port: $ub
  num-threads: 2
  so-reuseport: yes
  do-not-query-localhost: no
  access-control: 127.0.0.0/8 allow
  username: ""
  chroot: ""
  directory: "$work"
  pidfile: "$work/unbound.pid"
  use-syslog: no
  logfile: ""
  verbosity: 0
  module-config: "iterator"
  qname-minimisation: no
  msg-cache-size: 64m
  rrset-cache-size: 128m
  local-zone: "test." nodefault
  local-zone: "denied.test." always_nxdomain
forward-zone:
  name: "."
  forward-addr: 127.0.0.1@$up
CONF
  unbound -d -c "$work/unbound.conf" >"$work/unbound.log" 2>&1 &
  pids+=($!)
fi

# kap: the sidecar with only its DNS listener in use; same cache size as dnsmasq; budget and rate on but high
cat >"$work/kap.toml" <<TOML
[proxy]
listen = "127.0.0.1:$egress"
dns_listen = "127.0.0.1:$kp"
admin_listen = "127.0.0.1:$admin"
dns_upstream = ["127.0.0.1:$up"]

[proxy.network]
allow = ["*.bench.test"]

[proxy.observe]
log = "$work/audit.jsonl"
log_max_bytes = 104857600

[proxy.dns]
cache_entries = 10000
zone_budget = 1000000
client_rate = 1000000
TOML
KAP_LOG_LEVEL=WARNING "$JAVA_HOME/bin/java" -Xmx512m --module-path "$jar:$cli/lib" --add-modules ALL-MODULE-PATH \
  -m kap.cli/kap.cli.Main sidecar --config "$work/kap.toml" --no-global >"$work/kap.log" 2>&1 &
pids+=($!)

wait_dns "$up" "$work/upstream.log"; wait_dns "$dm" "$work/dnsmasq.log"; wait_dns "$kp" "$work/kap.log"
[ -n "$have_unbound" ] && wait_dns "$ub" "$work/unbound.log"

for i in $(seq 0 99); do echo "c$i.bench.test A"; done >"$work/cached.txt"
for i in $(seq 0 999); do echo "d$i.denied.test A"; done >"$work/denied.txt"
unique_file() { for i in $(seq 0 $((UNIQUE - 1))); do echo "u$1-$i.bench.test A"; done >"$work/unique-$1.txt"; }

servers=("dnsmasq:$dm" "kap:$kp")
[ -n "$have_unbound" ] && servers+=("unbound:$ub")

# queries per second from one dnsperf run
qps() {
  local port=$1 file=$2 secs=$3 once=${4:-}
  local args=(-s 127.0.0.1 -p "$port" -d "$file" -l "$secs" -c "$CLIENTS" -q "$OUTSTANDING")
  [ -n "$once" ] && args+=(-n 1)
  local out
  out=$(dnsperf "${args[@]}" 2>&1)
  echo "$out" >>"$work/dnsperf.log"
  # every reply must carry the expected code, or the number means nothing
  echo "  $(echo "$out" | grep -m1 'Response codes' | sed 's/^ *//')" >&2
  echo "$out" | awk '/Queries per second/ {print int($4)}'
}

declare -A result
echo "warming up (${WARMUP}s per server)..." >&2
for s in "${servers[@]}"; do
  qps "${s#*:}" "$work/cached.txt" "$WARMUP" >/dev/null
  qps "${s#*:}" "$work/denied.txt" "$WARMUP" >/dev/null
done
for scenario in cached uncached denied; do
  for s in "${servers[@]}"; do
    name=${s%%:*}; port=${s#*:}
    echo "$scenario: $name..." >&2
    case $scenario in
      cached) result[$scenario,$name]=$(qps "$port" "$work/cached.txt" "$DURATION") ;;
      denied) result[$scenario,$name]=$(qps "$port" "$work/denied.txt" "$DURATION") ;;
      uncached) unique_file "$name"; result[$scenario,$name]=$(qps "$port" "$work/unique-$name.txt" "$DURATION" once) ;;
    esac
  done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
echo
echo "DNS forwarders, queries per second (dnsperf -c $CLIENTS -q $OUTSTANDING, ${DURATION}s per run, $(nproc) cores)"
echo
header="| scenario | dnsmasq | kap | kap / dnsmasq |"; sep="|---|---:|---:|---:|"
[ -n "$have_unbound" ] && { header="$header unbound | kap / unbound |"; sep="$sep---:|---:|"; }
echo "$header"; echo "$sep"
for scenario in cached uncached denied; do
  line="| $scenario | ${result[$scenario,dnsmasq]} | ${result[$scenario,kap]} | $(ratio "${result[$scenario,kap]}" "${result[$scenario,dnsmasq]}") |"
  [ -n "$have_unbound" ] && line="$line ${result[$scenario,unbound]} | $(ratio "${result[$scenario,kap]}" "${result[$scenario,unbound]}") |"
  echo "$line"
done
lost=$(awk '/Queries lost/ {s += $3} END {print s + 0}' "$work/dnsperf.log")
echo
echo "queries lost over all runs: $lost"
