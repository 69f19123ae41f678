#!/usr/bin/env bash
# Capsule start-up cost: `kap run -- true` against `true` run directly, in one hyperfine session, plus a plain JVM
# start (`kap --version`) for scale. Uses the CLI runtime image (the linked JVM with its AOT cache), building it if
# needed. The capsule's policy allows nothing reachable and its DNS upstream is 127.0.0.1:9, so nothing leaves this
# machine; `true` sends nothing anyway. Needs: hyperfine, util-linux (unshare, setpriv), user namespaces, JDK 25, Maven.
#
#   bench/capsule-start.sh                 10 runs each after 3 warm-ups
#   RUNS=30 bench/capsule-start.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
RUNS="${RUNS:-10}"
WARMUP="${WARMUP:-3}"

command -v hyperfine >/dev/null || { echo "bench/capsule-start.sh: hyperfine is not installed" >&2; exit 1; }
# shellcheck source=../scripts/java-env.sh
source "$root/scripts/java-env.sh"
kap="$root/jlink/target/images/cli/bin/kap"
if [ ! -x "$kap" ] || [ -n "$(find "$root/modules" -path '*/target/kap-*.jar' -newer "$kap" -print -quit)" ]; then
  echo "bench/capsule-start.sh: building the CLI image..." >&2
  (cd "$root" && mvn -q -B -ntp -DskipTests package >&2)
fi

work="$(mktemp -d /tmp/kap-capsule-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
cat > "$work/kap.toml" <<TOML
[proxy]
dns_upstream = "127.0.0.1:9"
[proxy.network]
allow = ["example.invalid"]
TOML
# a throw-away ~/.kap: the capsule registry, run log and audit log of these runs go there
mkdir -p "$work/home"
export KAP_JAVA_OPTS="-Duser.home=$work/home"

# a capsule that does not start is a failed benchmark, not a fast one
"$kap" run --config "$work/kap.toml" -- true

echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "kernel: $(uname -r); $(unshare --version); JVM: $("$root/jlink/target/images/cli/bin/java" -version 2>&1 | head -1)"
hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --export-markdown "$work/results.md" --export-csv "$work/results.csv" \
  -n 'true' 'true' \
  -n 'kap --version' "$kap --version" \
  -n 'kap run -- true' "$kap run --config $work/kap.toml -- true"
cat "$work/results.md"
# the summary bench/run collects: one row per measure
echo
echo "| measure | value | target |"
echo "|---|---|---|"
awk -F, 'NR > 1 { mean[$1] = $2 * 1000; sd[$1] = $3 * 1000 }
  END {
    printf "| kap run -- true, mean of %d | %.0f ms ± %.0f | |\n", runs, mean["kap run -- true"], sd["kap run -- true"]
    printf "| true, mean | %.1f ms | |\n", mean["true"]
    printf "| kap --version (a JVM start, for scale), mean | %.0f ms | |\n", mean["kap --version"]
    printf "| capsule start-up cost (kap run -- true minus true) | %.0f ms | |\n", mean["kap run -- true"] - mean["true"]
  }' runs="$RUNS" "$work/results.csv"
