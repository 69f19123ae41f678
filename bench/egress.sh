#!/usr/bin/env bash
# Egress proxy benchmark: kap's egress listener side by side with tinyproxy, squid and a direct connection.
# Not a test and not run in CI. Every byte stays on loopback.
#
#   bench/egress.sh                 full run (about 3 minutes)
#   RUNS=1 SECS=5 bench/egress.sh   quicker
#
# Measures, for each of direct / kap / tinyproxy / squid:
#   - bulk throughput through one CONNECT tunnel (BYTES, default 1 GiB, median of RUNS after a warm-up);
#   - new tunnels per second at concurrency CONC (default 64) for SECS seconds, with p50/p99 set-up latency
#     (TCP connect to "200 Connection established"), and the same latency unloaded (concurrency 1);
#   - resident memory (RSS) of the proxy, freshly started, before and while holding IDLE idle tunnels
#     (default 10,000, capped by the open-file limit: a proxy needs two descriptors per tunnel).
# Needs: JDK 25 (scripts/java-env.sh), Maven with the project's dependencies, tinyproxy and squid (installed with
# apt-get when missing and running as root).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
# shellcheck source=../scripts/java-env.sh
source "$root/scripts/java-env.sh"

BYTES=${BYTES:-1073741824}
RUNS=${RUNS:-3}
CONC=${CONC:-64}
SECS=${SECS:-10}
IDLE=${IDLE:-10000}
# which to measure (direct is the baseline for the ratios)
PROXIES=${PROXIES:-"direct kap tinyproxy squid"}
# The sidecar's JVM settings; docs/EGRESS.md explains the choice.
KAP_JAVA_OPTS=${KAP_JAVA_OPTS:-"-XX:+UseSerialGC -Xms16m -Xmn16m -Xmx512m -XX:MaxDirectMemorySize=64m -Xss512k"}

work="$(mktemp -d /tmp/kap-egress-bench.XXXXXX)"
declare -a started=()
cleanup() {
  for pid in "${started[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  sleep 0.5
  for pid in "${started[@]:-}"; do
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

log() { echo "[bench] $*" >&2; }

ensure_tools() {
  local missing=()
  command -v tinyproxy >/dev/null || missing+=(tinyproxy)
  command -v squid >/dev/null && [ -x "$(command -v squid)" ] || missing+=(squid)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      log "installing ${missing[*]}"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
    else
      echo "bench: needs ${missing[*]} (apt-get install ${missing[*]})" >&2
      exit 1
    fi
  fi
}

# A free TCP port below the ephemeral range, so no outgoing connection can be holding it.
free_port() {
  local low
  low=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  for _ in $(seq 1 200); do
    local p=$(( 20000 + RANDOM % (low - 20000) ))
    if ! ss -Htln "sport = :$p" | grep -q .; then
      echo "$p"
      return
    fi
  done
  echo "bench: no free port" >&2
  exit 1
}

wait_listening() {
  for _ in $(seq 1 200); do
    ss -Htln "sport = :$1" | grep -q . && return 0
    sleep 0.05
  done
  echo "bench: nothing listening on $1" >&2
  exit 1
}

rss_kb() {  # RSS of a process and its children, in kB
  local total=0 pid
  for pid in $1 $(pgrep -P "$1" 2>/dev/null || true); do
    local kb
    kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    total=$((total + ${kb:-0}))
  done
  echo "$total"
}

# exec: a background "bench ... &" is then the java process itself, and its PID is what cleanup kills
tick=$(getconf CLK_TCK 2>/dev/null || echo 100)
cpu_ms() {  # user + system CPU of a process and its children so far, in ms; 0 for "direct"
  [ -z "${1:-}" ] && { echo 0; return; }
  local total=0 pid
  for pid in $1 $(pgrep -P "$1" 2>/dev/null || true); do
    total=$(( total + $(awk -v t="$tick" '{ printf "%d", ($14 + $15) * 1000 / t }' "/proc/$pid/stat" 2>/dev/null \
      || echo 0) ))
  done
  echo "$total"
}

bench() { "$JAVA_HOME/bin/java" -XX:+UseSerialGC "$here/EgressBench.java" "$@"; }
bench_bg() { exec "$JAVA_HOME/bin/java" -XX:+UseSerialGC "$here/EgressBench.java" "$@"; }

# ---- proxies: start_<name> prints the PID; the port is in $port ----

start_kap() {
  cat > "$work/kap.toml" <<TOML
[proxy]
listen = "127.0.0.1:$port"
admin_listen = "127.0.0.3:$(free_port)"
dns_listen = "127.0.0.1:$(free_port)"

[proxy.network]
allow = ["127.0.0.1:$upstream_port"]
unsafe_allow_cidrs = ["127.0.0.0/8"]

[proxy.observe]
log = "$work/kap-audit.jsonl"

[proxy.limits]
max_connections = 30000
max_tunnels = 30000
TOML
  local lib="$root/modules/kap.cli/target"
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" $KAP_JAVA_OPTS --module-path "$lib/kap-cli-0.1.0-SNAPSHOT.jar:$lib/lib" \
    -m kap.cli/kap.cli.Main sidecar --config "$work/kap.toml" --no-global >>"$work/kap.log" 2>&1 &
  echo $!
}

start_tinyproxy() {
  cat > "$work/tinyproxy.conf" <<CONF
Port $port
Listen 127.0.0.1
Timeout 600
MaxClients 30000
Allow 127.0.0.1
ConnectPort $upstream_port
LogLevel Critical
LogFile "$work/tinyproxy.log"
CONF
  tinyproxy -d -c "$work/tinyproxy.conf" >>"$work/tinyproxy.out" 2>&1 &
  echo $!
}

start_squid() {
  mkdir -p "$work/squid" && chmod 777 "$work/squid"
  cat > "$work/squid.conf" <<CONF
http_port 127.0.0.1:$port
acl bench_port port $upstream_port
acl CONNECT method CONNECT
http_access deny CONNECT !bench_port
http_access allow localhost
http_access deny all
cache deny all
cache_mem 8 MB
max_filedescriptors $(ulimit -n)
pid_filename $work/squid/squid.pid
access_log none
cache_store_log none
cache_log $work/squid/cache.log
coredump_dir $work/squid
shutdown_lifetime 1 seconds
# never ask the machine's resolver: targets are IP literals, and this keeps squid on loopback
dns_nameservers 127.0.0.1
CONF
  squid -N -f "$work/squid.conf" >>"$work/squid.out" 2>&1 &
  echo $!
}

stop() {
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 60); do
    kill -0 "$1" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "$1" 2>/dev/null || true
}

field() { sed -n "s|.* $1=\([^ ]*\).*|\1|p"; }

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

start_proxy() {  # $1 = name; sets port_of[name] and pid_of[name]
  port=$(free_port)
  local pid
  pid=$("start_$1")
  started+=("$pid")
  wait_listening "$port"
  port_of[$1]=$port
  pid_of[$1]=$pid
}

target_of() { if [ "$1" = direct ]; then echo direct; else echo "127.0.0.1:${port_of[$1]}"; fi; }

# Speed: every proxy runs at once on its own port and the measurements take turns, round by round, so background
# load on a shared machine falls on all of them alike. Each figure is the median of RUNS rounds.
measure_speed() {
  local name r line
  for name in $PROXIES; do
    [ "$name" != direct ] && start_proxy "$name"
    log "$name: warm-up"
    bench bulk "$(target_of "$name")" "$upstream_port" 536870912 >/dev/null
    bench rate "$(target_of "$name")" "$upstream_port" "$CONC" 5 >/dev/null
  done
  declare -A b t l50 l99 cb ct
  local c0 n
  for r in $(seq 1 "$RUNS"); do
    for name in $PROXIES; do
      log "round $r: $name bulk $BYTES bytes"
      c0=$(cpu_ms "${pid_of[$name]:-}")
      b[$name]+="$(bench bulk "$(target_of "$name")" "$upstream_port" "$BYTES" | field 'MiB/s') "
      cb[$name]+="$(( ($(cpu_ms "${pid_of[$name]:-}") - c0) * 1073741824 / BYTES )) "
    done
    for name in $PROXIES; do
      log "round $r: $name tunnels at concurrency $CONC for ${SECS}s"
      c0=$(cpu_ms "${pid_of[$name]:-}")
      line=$(bench rate "$(target_of "$name")" "$upstream_port" "$CONC" "$SECS")
      n=$(echo "$line" | field tunnels)
      ct[$name]+="$(( ($(cpu_ms "${pid_of[$name]:-}") - c0) * 1000 / (n > 0 ? n : 1) )) "
      t[$name]+="$(echo "$line" | field per_second) "
      l50[$name]+="$(echo "$line" | field p50_ms) "
      l99[$name]+="$(echo "$line" | field p99_ms) "
      failed[$name]=$(( ${failed[$name]/-/0} + $(echo "$line" | field failed) ))
    done
  done
  for name in $PROXIES; do
    bulk[$name]=$(printf '%s\n' ${b[$name]} | median)
    rate[$name]=$(printf '%s\n' ${t[$name]} | median)
    p50[$name]=$(printf '%s\n' ${l50[$name]} | median)
    p99[$name]=$(printf '%s\n' ${l99[$name]} | median)
    line=$(bench rate "$(target_of "$name")" "$upstream_port" 1 3)
    p50_1[$name]=$(echo "$line" | field p50_ms)
    p99_1[$name]=$(echo "$line" | field p99_ms)
    cpu_bulk[$name]=$(printf '%s\n' ${cb[$name]} | median)
    cpu_tunnel[$name]=$(printf '%s\n' ${ct[$name]} | median)
    all_bulk[$name]="${b[$name]}"
    all_rate[$name]="${t[$name]}"
  done
  for name in $PROXIES; do
    [ "$name" != direct ] && stop "${pid_of[$name]}"
  done
  return 0
}

measure_memory() {  # $1 = name; a fresh process, so earlier phases do not inflate it
  local name=$1
  port=$(free_port)
  local pid
  pid=$("start_$name")
  started+=("$pid")
  wait_listening "$port"
  bench rate "127.0.0.1:$port" "$upstream_port" 8 2 >/dev/null
  sleep 2
  rss_base[$name]=$(rss_kb "$pid")
  local fifo="$work/hold-$name"
  mkfifo "$fifo"
  bench_bg idle "127.0.0.1:$port" "$upstream_port" "$idle_count" <"$fifo" >"$work/idle-$name.out" 2>&1 &
  local holder=$!
  started+=("$holder")
  exec 7>"$fifo"
  for _ in $(seq 1 600); do
    grep -q ready "$work/idle-$name.out" 2>/dev/null && break
    sleep 0.2
  done
  sleep 3
  rss_idle[$name]=$(rss_kb "$pid")
  idle_open[$name]=$(sed -n 's/.*open=\([0-9]*\).*/\1/p' "$work/idle-$name.out")
  exec 7>&-
  wait "$holder" 2>/dev/null || true
  stop "$pid"
}

# ---- run ----

ensure_tools
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
# a proxy holds two descriptors per tunnel
idle_count=$(( IDLE < ($(ulimit -n) - 200) / 2 ? IDLE : ($(ulimit -n) - 200) / 2 ))

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
log "building kap (mvn package, offline)"
(cd "$root" && mvn -q -B -o package -DskipTests -pl modules/kap.cli -am)

upstream_port=$(free_port)
bench_bg serve "$upstream_port" >"$work/upstream.log" 2>&1 &
started+=("$!")
wait_listening "$upstream_port"

declare -A bulk rate p50 p99 p50_1 p99_1 failed rss_base rss_idle idle_open port_of pid_of all_bulk all_rate \
  cpu_bulk cpu_tunnel
for name in direct kap tinyproxy squid; do
  bulk[$name]=-; rate[$name]=-; p50[$name]=-; p99[$name]=-; p50_1[$name]=-; p99_1[$name]=-; failed[$name]=-
  rss_base[$name]=0; rss_idle[$name]=0; idle_open[$name]=-; cpu_bulk[$name]=-; cpu_tunnel[$name]=-
done
measure_speed
for name in $PROXIES; do
  [ "$name" = direct ] && continue
  log "$name: memory with $idle_count idle tunnels"
  measure_memory "$name"
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

echo
echo "kap egress benchmark, $(date -u +%Y-%m-%d), $(nproc) CPUs, $(uname -r), $(java -version 2>&1 | head -1)"
echo "tinyproxy $(tinyproxy -v 2>&1 | awk '{print $2}'), $(squid -v | head -1 | awk '{print $1, $4}')"
echo "KAP_JAVA_OPTS=$KAP_JAVA_OPTS"
echo "load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '| %-38s | %10s | %10s | %10s | %10s |\n' "" direct kap tinyproxy squid
printf '|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..40})" "------------" "------------" "------------" "------------"
printf '| %-38s | %10s | %10s | %10s | %10s |\n' "bulk MiB/s (1 tunnel, median of $RUNS)" "${bulk[direct]}" "${bulk[kap]}" "${bulk[tinyproxy]}" "${bulk[squid]}"
printf '| %-38s | %10s | %10s | %10s | %10s |\n' "new tunnels/s (concurrency $CONC)" "${rate[direct]}" "${rate[kap]}" "${rate[tinyproxy]}" "${rate[squid]}"
printf '| %-38s | %10s | %10s | %10s | %10s |\n' "set-up p50 ms (concurrency $CONC)" "${p50[direct]}" "${p50[kap]}" "${p50[tinyproxy]}" "${p50[squid]}"
printf '| %-38s | %10s | %10s | %10s | %10s |\n' "set-up p99 ms (concurrency $CONC)" "${p99[direct]}" "${p99[kap]}" "${p99[tinyproxy]}" "${p99[squid]}"
printf '| %-38s | %10s | %10s | %10s | %10s |\n' "set-up p50 ms (concurrency 1)" "${p50_1[direct]}" "${p50_1[kap]}" "${p50_1[tinyproxy]}" "${p50_1[squid]}"
printf '| %-38s | %10s | %10s | %10s | %10s |\n' "set-up p99 ms (concurrency 1)" "${p99_1[direct]}" "${p99_1[kap]}" "${p99_1[tinyproxy]}" "${p99_1[squid]}"
printf '| %-38s | %10s | %10s | %10s | %10s |\n' "proxy CPU ms per GiB relayed" "-" "${cpu_bulk[kap]}" "${cpu_bulk[tinyproxy]}" "${cpu_bulk[squid]}"
printf '| %-38s | %10s | %10s | %10s | %10s |\n' "proxy CPU us per tunnel" "-" "${cpu_tunnel[kap]}" "${cpu_tunnel[tinyproxy]}" "${cpu_tunnel[squid]}"
printf '| %-38s | %10s | %10s | %10s | %10s |\n' "failed tunnels in the rate run" "${failed[direct]}" "${failed[kap]}" "${failed[tinyproxy]}" "${failed[squid]}"
printf '| %-38s | %10s | %10s | %10s | %10s |\n' "RSS MB, fresh, no tunnels" "-" "$(mb "${rss_base[kap]}")" "$(mb "${rss_base[tinyproxy]}")" "$(mb "${rss_base[squid]}")"
printf '| %-38s | %10s | %10s | %10s | %10s |\n' "RSS MB with idle tunnels open" "-" "$(mb "${rss_idle[kap]}")" "$(mb "${rss_idle[tinyproxy]}")" "$(mb "${rss_idle[squid]}")"
printf '| %-38s | %10s | %10s | %10s | %10s |\n' "idle tunnels actually open" "-" "${idle_open[kap]}" "${idle_open[tinyproxy]}" "${idle_open[squid]}"
echo
for name in $PROXIES; do
  echo "  $name: bulk MiB/s per round: ${all_bulk[$name]}; tunnels/s per round: ${all_rate[$name]}"
done
echo
echo "ratios (target in brackets):"
echo "  kap bulk / direct     $(ratio "${bulk[kap]}" "${bulk[direct]}")  [>= 0.90]"
echo "  kap bulk / tinyproxy  $(ratio "${bulk[kap]}" "${bulk[tinyproxy]}")  [>= 1.2]"
echo "  kap bulk / squid      $(ratio "${bulk[kap]}" "${bulk[squid]}")  [>= 1.0]"
echo "  kap tunnels/s / squid $(ratio "${rate[kap]}" "${rate[squid]}")  [>= 1.0]"
echo "  kap RSS with ${idle_open[kap]} idle tunnels: $(mb "${rss_idle[kap]}") MB  [<= 256 MB at 10,000]"
echo
echo "work directory (logs, configs): $work"
