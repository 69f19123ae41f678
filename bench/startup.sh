#!/usr/bin/env bash
# Start-up benchmark: time from exec to the sidecar answering /health (all listeners ready), with and without the
# AOT cache, and wall time of `kap --help` and `kap status`. Everything stays on loopback; the DNS upstream is a
# closed local port.
#   bench/startup.sh [runs]          (default 10)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-10}"
source "$here/scripts/java-env.sh"
images="$here/jlink/target/images"
if [ ! -x "$images/sidecar/bin/kap-sidecar" ]; then
  (cd "$here" && mvn -q -B -ntp -DskipTests package)
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# median of the ms values on stdin
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

ready_ms() { # admin-port command... ; prints ms from exec to the first 200 on /health
  local admin=$1; shift
  local t0 t1 status
  t0=$(date +%s%N)
  "$@" >"$work/out" 2>"$work/err" &
  local pid=$!
  # poll with bash's own TCP client: spawning curl every few ms would steal the CPU being measured
  for _ in $(seq 1 4000); do
    if { exec 3<>"/dev/tcp/127.0.0.1/$admin"; } 2>/dev/null; then
      printf 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
      read -r _ status _ <&3 || status=""
      exec 3<&-
      if [ "$status" = "200" ]; then
        t1=$(date +%s%N)
        kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
        echo $(( (t1 - t0) / 1000000 ))
        return
      fi
    fi
    sleep 0.002
  done
  kill -KILL "$pid" 2>/dev/null || true
  echo "sidecar did not become ready; stderr:" >&2; cat "$work/err" >&2; exit 1
}

config() { # admin-port
  cat > "$work/kap.toml" <<TOML
[proxy]
listen = "127.0.0.1:0"
dns_listen = "127.0.0.1:0"
admin_listen = "127.0.0.1:$1"
dns_upstream = "127.0.0.1:9"
[proxy.observe]
log = "$work/audit.jsonl"
[proxy.network]
allow = ["example.com"]
TOML
}

sidecar="$images/sidecar"
jvm="-XX:+UseSerialGC -Xms32m -Xmn16m -Xmx512m -XX:MaxDirectMemorySize=64m -Xss512k"
declare -A result
for variant in aot none; do
  values=()
  for _ in $(seq 1 "$runs"); do
    port=$(free_port); config "$port"
    if [ "$variant" = aot ]; then
      values+=("$(ready_ms "$port" "$sidecar/bin/kap-sidecar" --config "$work/kap.toml" --no-global)")
    else
      # shellcheck disable=SC2086
      values+=("$(ready_ms "$port" "$sidecar/bin/java" $jvm -m kap.sidecar/kap.sidecar.Main \
        --config "$work/kap.toml" --no-global)")
    fi
  done
  result[$variant]=$(printf '%s\n' "${values[@]}" | median)
done

help=()
for _ in $(seq 1 "$runs"); do
  t0=$(date +%s%N); "$images/cli/bin/kap" --help >/dev/null; t1=$(date +%s%N)
  help+=($(( (t1 - t0) / 1000000 )))
done
help_ms=$(printf '%s\n' "${help[@]}" | median)

# `kap status` where no capsule runs: the CLI, the capsule registry and a ping of the Docker engine (the part every
# status pays before it reaches a sidecar; with a capsule it then runs its isolation probes, which take seconds)
mkdir -p "$work/project"
status=()
for _ in $(seq 1 "$runs"); do
  t0=$(date +%s%N); (cd "$work/project" && "$images/cli/bin/kap" status >/dev/null 2>&1) || true; t1=$(date +%s%N)
  status+=($(( (t1 - t0) / 1000000 )))
done
status_ms=$(printf '%s\n' "${status[@]}" | median)

size() { du -sm "$1" | cut -f1; }
echo "| measure | median | target |"
echo "|---|---:|---:|"
echo "| sidecar exec → /health 200, AOT cache | ${result[aot]} ms | ≤ 300 ms |"
echo "| sidecar exec → /health 200, no cache | ${result[none]} ms | |"
echo "| \`kap --help\` wall time | ${help_ms} ms | ≤ 150 ms |"
echo "| \`kap status\` wall time, no capsule (registry, Docker ping) | ${status_ms} ms | |"
echo "| sidecar image | $(size "$sidecar") MB | ≤ 60 MB |"
echo "| CLI image | $(size "$images/cli") MB | ≤ 80 MB |"
echo "| shim image | $(size "$images/shim") MB | |"
echo
echo "($runs runs each; $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; load average $(cut -d' ' -f1-3 /proc/loadavg))"
