#!/usr/bin/env bash
# Links kap's two runtime images from a directory of module jars, with JDK tools only.
#   build-images.sh <modules-dir> <output-dir>
# 1. gives the automatic-module jars the descriptors checked in under jlink/module-infos/;
# 2. links the sidecar image (no CLI, no docker-java, no ZXing, no remote) and the CLI image;
# 3. writes launchers that exec the JVM, so signals reach it;
# 4. trains an AOT cache for each image with a scripted run;
# 5. prints the image sizes.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$1"
out="$2"
: "${JAVA_HOME:?JAVA_HOME must point at a JDK 25}"
bin="$JAVA_HOME/bin"
work="$out/work"
mods="$work/modules"
rm -rf "$out"
mkdir -p "$mods"

step() { echo "[images] $*"; }

# --- 1. explicit descriptors for automatic modules ---------------------------------------------------------
cp "$src"/*.jar "$mods"/
# one line per module jar: "name@version file:///path.jar [automatic|open]"
listing() { "$bin/java" --module-path "$mods" --list-modules | grep ' file:'; }
while read -r spec file flag; do
  [ "$flag" = "automatic" ] || continue
  name="${spec%%@*}"
  jar="${file#file://}"
  descriptor="$here/module-infos/$name.java"
  if [ ! -f "$descriptor" ]; then
    echo "[images] $jar is an automatic module ($name) and jlink/module-infos/$name.java is missing" >&2
    echo "[images] generate it: jdeps --generate-module-info <dir> --module-path <other jars> $jar" >&2
    exit 1
  fi
  classes="$work/descriptors/$name"
  mkdir -p "$classes" "$work/sources/$name"
  # javac insists on the file name
  cp "$descriptor" "$work/sources/$name/module-info.java"
  # the other jars form the module path the descriptor compiles against
  mp=$(ls "$mods"/*.jar | grep -v -x -F "$jar" | paste -sd: -)
  "$bin/javac" --release 25 -nowarn -d "$classes" --module-path "$mp" --patch-module "$name=$jar" \
    "$work/sources/$name/module-info.java"
  "$bin/jar" --update --file "$jar" -C "$classes" module-info.class
  step "descriptor added: $name"
done < <(listing)
# explicit modules whose requirement we make static (jlink/module-overrides.txt): describe, rewrite, recompile
while read -r module demoted; do
  case "$module" in ''|'#'*) continue ;; esac
  jar=$(listing | awk -v m="$module" '{split($1, a, "@")} a[1] == m {sub("file://", "", $2); print $2}')
  [ -n "$jar" ] || { step "override skipped, $module is not in the image"; continue; }
  src="$work/overrides/$module"
  mkdir -p "$src"
  # multi-release jars keep their descriptor under META-INF/versions/9; rewrite it where it is
  entry=module-info.class
  unzip -l "$jar" | grep -q 'META-INF/versions/9/module-info.class' && entry=META-INF/versions/9/module-info.class
  (cd "$src" && unzip -q -o "$jar" "$entry")
  "$bin/java" "$here/Demote.java" "$src/$entry" "$demoted"
  if [ "$entry" = module-info.class ]; then
    "$bin/jar" --update --file "$jar" -C "$src" module-info.class
  else
    "$bin/jar" --update --file "$jar" --release 9 -C "$src/META-INF/versions/9" module-info.class
  fi
  step "descriptor rewritten: $module no longer requires $demoted"
done < "$here/module-overrides.txt"

# Java 5 class files (picocli's) stay out of the AOT cache and go through the slow verifier at every start: give them
# version 52 and stack maps (jlink/Modernize.java)
"$bin/java" "$here/Modernize.java" "$mods"/*.jar

if listing | grep -q ' automatic$'; then
  echo "[images] automatic modules remain: $(listing | grep ' automatic$' | cut -d' ' -f1 | paste -sd' ' -)" >&2
  exit 1
fi

names=$(listing | cut -d' ' -f1 | sed 's/@.*//')
present() { # prints those of the given modules that are on the module path, comma-separated
  local found=()
  for m in "$@"; do
    if grep -qx "$m" <<<"$names"; then found+=("$m"); fi
  done
  (IFS=,; echo "${found[*]}")
}

# modules the sidecar starts through ServiceLoader; jlink does not bind services, so they are named here
listeners=$(present kap.egress kap.dns kap.mcp kap.clix)
logging=$(present org.slf4j.jul org.slf4j.jdk.platform.logging)
sidecar_modules="kap.sidecar${listeners:+,$listeners}${logging:+,$logging}"
cli_modules="kap.cli${listeners:+,$listeners}${logging:+,$logging}"
for optional in kap.runtime.docker kap.runtime.namespace kap.remote; do
  if [ -n "$(present "$optional")" ]; then cli_modules="$cli_modules,$optional"; fi
done

link() { # name modules launcher-name main jvm-options short-command-options
  local name=$1 modules=$2 launcher=$3 main=$4 options=$5 short=${6:-}
  step "linking $name: $modules"
  "$bin/jlink" --module-path "$mods" --add-modules "$modules" \
    --strip-debug --no-header-files --no-man-pages --compress=zip-6 --ignore-signing-information \
    --output "$out/$name"
  # our own launcher: exec, so SIGTERM reaches the JVM (jlink's generated one does not exec)
  cat > "$out/$name/bin/$launcher" <<LAUNCHER
#!/bin/sh
dir=\$(cd "\$(dirname "\$0")/.." && pwd)
aot=""
[ -f "\$dir/lib/kap.aot" ] && aot="-XX:AOTCache=\$dir/lib/kap.aot"
# short commands start faster on the client compiler alone; the long-running ones need the full JIT
case "\${1:-}" in
  sidecar|run|remote) tier="" ;;
  *) tier="$short" ;;
esac
exec "\$dir/bin/java" $options \$tier \$aot \${KAP_JAVA_OPTS:-} -m $main "\$@"
LAUNCHER
  chmod +x "$out/$name/bin/$launcher"
}

# the sidecar is long-running: the serial collector keeps its footprint small; the CLI runs for a moment, so C1 only
# Flags the egress benchmark settled on: the serial collector and small young generation keep the footprint low at
# thousands of idle tunnels; full JIT keeps relaying fast. (-Xms must leave old-generation room for the AOT cache's
# archived heap objects: -Xms16m with -Xmn16m makes the JVM refuse the cache and stop.) The CLI also runs `kap sidecar` and `kap run`, so it gets
# the same flags; its AOT cache keeps short commands quick.
jvm="-XX:+UseSerialGC -Xms32m -Xmn16m -Xmx512m -XX:MaxDirectMemorySize=64m -Xss512k"
link sidecar "$sidecar_modules" kap-sidecar kap.sidecar/kap.sidecar.Main "$jvm"
# the capsule side of the CLI proxy: java.base and kap.shim only, started for every gh/aws call, so C1 only
link shim "kap.shim" kap-shim kap.shim/kap.shim.Shim "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData"
# kap run calls libc (namespaces, seccomp, a fast exit) through FFM; without this the JVM warns on the terminal
cli_jvm="$jvm"
if [ -n "$(present kap.runtime.namespace)" ]; then
  cli_jvm="$jvm --enable-native-access=kap.runtime.namespace"
fi
link cli "$cli_modules" kap kap.cli/kap.cli.Main "$cli_jvm" "-XX:TieredStopAtLevel=1"

# --- strip the JVM's symbol table: 5 MB less per image, and nothing kap reads (crash stacks keep exported names) ---
if command -v strip >/dev/null 2>&1; then
  for image in sidecar cli shim; do
    strip --strip-unneeded "$out/$image/lib/server/libjvm.so"
  done
else
  step "strip not found (binutils): images keep the JVM's symbol table"
fi

# --- 4. AOT caches from a scripted training run -------------------------------------------------------------
bash "$here/train.sh" "$out/sidecar" "$out/cli" "$out/shim" "$work/train"

# a cache that the final flags cannot load would stop the JVM at start: prove both launchers start
"$out/cli/bin/kap" --version >/dev/null || { echo "[images] the CLI image does not start" >&2; exit 1; }
"$out/sidecar/bin/kap-sidecar" --help >/dev/null || { echo "[images] the sidecar image does not start" >&2; exit 1; }
"$out/shim/bin/java" -XX:AOTCache="$out/shim/lib/kap.aot" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData \
  --list-modules >/dev/null || { echo "[images] the shim image does not start" >&2; exit 1; }

# --- 5. sizes ------------------------------------------------------------------------------------------------
rm -rf "$work"
step "image sizes:"
du -sh "$out/sidecar" "$out/cli" "$out/shim" | sed 's/^/[images]   /'
