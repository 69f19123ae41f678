#!/usr/bin/env bash
# Latency the MCP proxy adds: tools/call and tools/list of 1,000 tools, kap against a direct connection, in one run.
# Everything runs on loopback: an MCP SDK upstream (Node) with 1,000 tools, a sidecar in front of it, one client.
#   bench/mcp.sh [CALLS] [LISTS]        defaults 3000 and 300; the table also goes to bench/results/mcp-<time>.md
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
source scripts/java-env.sh
modules/kap.mcp/src/test/node/install.sh
# one reactor run, so kap.mcp's dependencies resolve to this checkout's jars, never to ~/.m2
mvn -q -B -o -DskipTests verify dependency:build-classpath -pl modules/kap.mcp -am -Dmdep.outputFile=target/bench.cp \
  -Dmdep.includeScope=runtime >&2
cd modules/kap.mcp
mkdir -p "$here/bench/results"
out="$here/bench/results/mcp-$(date +%Y%m%d-%H%M%S).md"
"$JAVA_HOME/bin/java" -XX:+UseSerialGC \
  --module-path "target/classes:$(cat target/bench.cp)" \
  --patch-module kap.mcp=target/test-classes \
  --add-modules ALL-MODULE-PATH \
  -m kap.mcp/kap.mcp.internal.McpBench "${1:-3000}" "${2:-300}" 2>/dev/null | tee "$out"
echo "bench: results in $out" >&2
