#!/usr/bin/env bash
# Trains the JDK 25 AOT cache of each image with a short scripted run (JEP 514: -XX:AOTCacheOutput writes the cache
# when the JVM exits). The launchers pick up lib/kap.aot when it exists. Traffic stays on loopback.
#   train.sh <sidecar-image> <cli-image> <shim-image> <work-dir>
set -euo pipefail
sidecar="$1"
cli="$2"
shim="$3"
work="$4"
mkdir -p "$work"
step() { echo "[images] $*"; }

# --- sidecar: start, ask for health, stop with SIGTERM as a container runtime would ---
cat > "$work/kap.toml" <<TOML
[proxy]
listen = "127.0.0.1:0"
dns_listen = "127.0.0.1:0"
admin_listen = "127.0.0.1:0"
dns_upstream = "127.0.0.1:9"
[proxy.observe]
log = "$work/audit.jsonl"
[proxy.network]
allow = ["example.com"]
[cli]
listen = "127.0.0.1:0"
[[cli.tools]]
name = "true"
allow = ["*"]
TOML
mkdir -p "$work/workspace"
step "training the sidecar's AOT cache"
# the loop below may read the log before the background job has opened it; under set -e and pipefail a missing
# file would end the build
: >"$work/sidecar.err"
KAP_CLIX_WORKSPACE="$work/workspace" KAP_CLIX_CAPSULE_WORKSPACE="$work/workspace" \
KAP_JAVA_OPTS="-XX:AOTCacheOutput=$sidecar/lib/kap.aot -Xlog:aot=error -Xlog:cds=error" \
  "$sidecar/bin/kap-sidecar" --config "$work/kap.toml" --no-global >"$work/sidecar.out" 2>"$work/sidecar.err" &
pid=$!
admin=""
for _ in $(seq 1 100); do
  admin=$(sed -n 's/.*admin listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$work/sidecar.err" | head -1)
  if [ -n "$admin" ] && grep -q "ready in" "$work/sidecar.err"; then break; fi
  sleep 0.1
done
if [ -z "$admin" ]; then
  cat "$work/sidecar.err" >&2
  kill "$pid" 2>/dev/null || true
  echo "[images] the sidecar did not start during training" >&2
  exit 1
fi
# exercise the admin listener a few times with bash's own TCP client (no curl needed at build time)
for _ in 1 2 3; do
  exec 3<>"/dev/tcp/127.0.0.1/$admin"
  printf 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
  cat <&3 >/dev/null
  exec 3<&-
done
# the shim's cache: a real round trip through the CLI proxy, as an agent's `gh` call would make
clix=$(sed -n 's/.*clix listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$work/sidecar.err" | head -1)
if [ -n "$clix" ] && command -v true >/dev/null; then
  step "training the shim's AOT cache"
  (cd "$work/workspace" && KAP_CLIX="127.0.0.1:$clix" "$shim/bin/java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -XX:-UsePerfData -XX:AOTCacheOutput="$shim/lib/kap.aot" -Xlog:aot=error -Xlog:cds=error \
    -m kap.shim/kap.shim.Shim true >"$work/shim.out" 2>"$work/shim.err") || true
  [ -f "$shim/lib/kap.aot" ] || { cat "$work/shim.err" >&2; echo "[images] no shim AOT cache written" >&2; exit 1; }
fi
kill -TERM "$pid"
wait "$pid" || true
[ -f "$sidecar/lib/kap.aot" ] || { cat "$work/sidecar.err" >&2; echo "[images] no sidecar AOT cache written" >&2; exit 1; }

# --- CLI: the commands people type most ---
step "training the CLI's AOT cache"
KAP_JAVA_OPTS="-XX:AOTCacheOutput=$cli/lib/kap.aot -Xlog:aot=error -Xlog:cds=error" "$cli/bin/kap" --help \
  >"$work/cli.out" 2>"$work/cli.err"
[ -f "$cli/lib/kap.aot" ] || { cat "$work/cli.err" >&2; echo "[images] no CLI AOT cache written" >&2; exit 1; }

# --- the capsule bridge (kap run): its own JVM. Its cache is 15 MB for about 100 ms off `kap run`; the CLI image has a
# size budget of 80 MB, so it is built only on request (KAP_IMAGE_BRIDGE_CACHE=1). ---
if [ "${KAP_IMAGE_BRIDGE_CACHE:-0}" = 1 ]; then
  step "training the capsule bridge's AOT cache"
  mkdir -p "$work/run-home"
  cat > "$work/run.toml" <<TOML
[proxy]
dns_upstream = "127.0.0.1:9"
[proxy.network]
allow = ["example.invalid"]
TOML
  if KAP_BRIDGE_AOT_OUTPUT="$cli/lib/kap-bridge.aot" KAP_JAVA_OPTS="-Duser.home=$work/run-home" \
      "$cli/bin/kap" run --config "$work/run.toml" -- true >"$work/run.out" 2>"$work/run.err" \
      && [ -f "$cli/lib/kap-bridge.aot" ]; then
    step "bridge AOT cache: $(du -h "$cli/lib/kap-bridge.aot" | cut -f1)"
  else
    rm -f "$cli/lib/kap-bridge.aot"
    step "no bridge AOT cache (kap run cannot run here: $(tail -1 "$work/run.err")); kap run works without one"
  fi
fi
step "AOT caches: sidecar $(du -h "$sidecar/lib/kap.aot" | cut -f1), CLI $(du -h "$cli/lib/kap.aot" | cut -f1), shim $(du -h "$shim/lib/kap.aot" | cut -f1)"
