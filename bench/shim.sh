#!/usr/bin/env bash
# Benchmark: the CLI shim's round trip for a trivial command (`true` run on the sidecar through kap's CLI proxy)
# against running `true` directly, in one hyperfine run. Loopback only.
#
# Variants:
#   direct        /bin/true
#   shim-jdk      the shim script the sidecar writes, on the full JDK with kap.shim on the module path
#   shim-jlink    the same on a jlinked runtime (java.base + kap.shim) with its default CDS archive
#   shim-aot      the jlinked runtime plus a JDK 25 AOT cache from one training run
# The images issue builds the real capsule runtime; the jlink/AOT variants here show what it can expect.
#
# Usage: bench/shim.sh [runs]        (default 40 runs per variant, 5 warm-up runs)
# Results: bench/results/shim-<time>/ (hyperfine JSON and Markdown, the sidecar's log)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
source scripts/java-env.sh
runs="${1:-40}"
command -v hyperfine >/dev/null || { echo "bench: hyperfine is needed (apt-get install hyperfine)" >&2; exit 1; }

out="$here/bench/results/shim-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out/ws" "$out/shims"
echo "bench: building kap.cli and its runtime dependencies (mvn package, tests skipped)" >&2
mvn -q -B -o package -DskipTests -pl modules/kap.cli -am >&2
cli_jar=$(ls modules/kap.cli/target/kap-cli-*.jar | grep -v -e sources -e tests | head -1)
lib="modules/kap.cli/target/lib"
shim_jar=$(ls "$lib"/kap-shim-*.jar | head -1)

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$out/kap.toml" <<TOML
[proxy]
listen = "127.0.0.1:0"
dns_listen = "127.0.0.1:0"
admin_listen = "127.0.0.1:0"
[proxy.observe]
log = "$out/audit.jsonl"
[cli]
listen = "127.0.0.1:$port"
[[cli.tools]]
name = "true"
allow = ["*"]
TOML

KAP_CLIX_WORKSPACE="$out/ws" KAP_CLIX_SHIM_DIR="$out/shims" KAP_CLIX_SHIM_JAVA="$JAVA_HOME/bin/java" \
  KAP_CLIX_SHIM_MODULE_PATH="$here/$shim_jar" KAP_CLIX_ENV_FILE="$out/none.env" LANG=C.UTF-8 \
  "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xshare:auto --module-path "$cli_jar:$lib" --add-modules ALL-MODULE-PATH \
  -m kap.cli/kap.cli.Main sidecar --config "$out/kap.toml" --no-global 2> "$out/sidecar.log" &
sidecar=$!
trap 'kill "$sidecar" 2>/dev/null || true; wait "$sidecar" 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  if [ -x "$out/shims/true" ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  kill -0 "$sidecar" 2>/dev/null || { cat "$out/sidecar.log" >&2; exit 1; }
  sleep 0.1
done
[ -x "$out/shims/true" ] || { echo "bench: the sidecar wrote no shim; see $out/sidecar.log" >&2; exit 1; }
export KAP_CLIX="127.0.0.1:$port"
cd "$out/ws"

echo "bench: linking a java.base + kap.shim runtime with its CDS archive" >&2
"$JAVA_HOME/bin/jlink" --module-path "$here/$shim_jar" --add-modules kap.shim --strip-debug --no-header-files \
  --no-man-pages --generate-cds-archive --output "$out/runtime" > "$out/jlink.log" 2>&1
variant() { # name java extra-options: a copy of the sidecar's shim with another runtime and no module path
  sed -e "s|'$JAVA_HOME/bin/java'|'$2' $3|" -e "s| -p '[^']*'||" "$out/shims/true" > "$out/$1/true"
  if [ -n "$3" ]; then sed -i "s| -Xshare:auto||" "$out/$1/true"; fi
  chmod 755 "$out/$1/true"
}
mkdir -p "$out/jlink" "$out/aot" "$out/train"
variant jlink "$out/runtime/bin/java" ""
echo "bench: training an AOT cache with one shim run" >&2
sed -e "s|'$JAVA_HOME/bin/java'|'$out/runtime/bin/java' -XX:AOTCacheOutput=$out/shim.aot|" -e "s| -p '[^']*'||" \
  -e "s| -Xshare:auto||" \
  "$out/shims/true" > "$out/train/true"
chmod 755 "$out/train/true"
"$out/train/true" > "$out/aot-training.log" 2>&1 || { cat "$out/aot-training.log" >&2; exit 1; }
variant aot "$out/runtime/bin/java" "-XX:AOTCache=$out/shim.aot"
for v in "$out/shims/true" "$out/jlink/true" "$out/aot/true"; do
  "$v" || { echo "bench: $v failed" >&2; exit 1; }
done

hyperfine -N --warmup 5 --runs "$runs" --export-json "$out/hyperfine.json" --export-markdown "$out/hyperfine.md" \
  -n direct /bin/true -n shim-jdk "$out/shims/true" -n shim-jlink "$out/jlink/true" -n shim-aot "$out/aot/true"

python3 - "$out/hyperfine.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
base = r["direct"]["mean"]
print("\nvariant       mean ms  +/- ms  median ms  min ms  added (mean) ms  added (median) ms  ratio (mean)  cpu ms")
for name in ["direct", "shim-jdk", "shim-jlink", "shim-aot"]:
    x = r[name]
    d = r["direct"]
    print(f"{name:12s} {x['mean']*1000:8.1f} {x['stddev']*1000:7.1f} {x['median']*1000:10.1f} {x['min']*1000:7.1f}"
          f" {(x['mean']-d['mean'])*1000:16.1f} {(x['median']-d['median'])*1000:18.1f} {x['mean']/d['mean']:12.0f}x"
          f" {(x['user']+x['system'])*1000:7.1f}")
print("cpu ms: user + system time of the shim process (not the sidecar's), less sensitive to a busy machine")
PY
echo "bench: results in $out" >&2
