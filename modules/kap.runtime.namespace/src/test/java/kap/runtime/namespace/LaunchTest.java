package kap.runtime.namespace;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

/**
 * The capsule's command line and environment, and the mount flags a read-only remount must keep.
 */
class LaunchTest {

    @Test
    void makesEveryNamespaceKillsOnParentDeathAndStartsTheBridgeAsPid1() {
        Unshare unshare = new Unshare(Path.of("/usr/bin/setpriv"), Path.of("/usr/bin/unshare"), true);
        List<String> line = unshare.command(Launch.bridge(Path.of("/r/control.sock"), Optional.empty()));
        assertThat(line.subList(0, 5), is(List.of("/usr/bin/setpriv", "--pdeathsig", "KILL", "--",
                "/usr/bin/unshare")));
        assertThat(line, hasItems("--user", "--map-current-user", "--keep-caps", "--net", "--mount", "--pid", "--ipc",
                "--fork", "--kill-child", "--mount-proc", "-Xrs", "-XX:-UsePerfData", Launch.BRIDGE_MAIN,
                "/r/control.sock"));
        assertThat(line.getLast(), is("/r/control.sock"));
        List<String> old = new Unshare(Path.of("s"), Path.of("u"), false).flags();
        assertThat(old, hasItems("--map-root-user", "--net", "--pid", "--kill-child"));
        assertThat(old.contains("--keep-caps"), is(false));
        // a JDK without kap's image has no bridge cache: the module graph is limited instead
        assertThat(line, hasItems("--limit-modules", "kap.runtime.namespace"));
    }

    @Test
    void recordsTheBridgesAotCacheWhenTheImageBuildAsks() {
        List<String> line = Launch.bridge(Path.of("/r/control.sock"), Optional.of("/image/lib/kap-bridge.aot"));
        assertThat(line, hasItems("-XX:AOTCacheOutput=/image/lib/kap-bridge.aot"));
        assertThat(line.contains("--limit-modules"), is(false));
    }

    @Test
    void givesTheBridgeAUtf8LocaleAndNothingElseOfTheUsersEnvironment() {
        Map<String, String> user = Map.of("LANG", "de_DE.UTF-8", "JAVA_TOOL_OPTIONS", "-Xmx1m", "SECRET", "x");
        assertThat(Launch.environment(user), is(Map.of("PATH", "/usr/bin:/bin", "LC_ALL", "de_DE.UTF-8")));
        assertThat(Launch.environment(Map.of("LANG", "C")).get("LC_ALL"), is("C.UTF-8"));
        assertThat(Launch.environment(Map.of()).get("LC_ALL"), is("C.UTF-8"));
    }

    @Test
    void keepsTheFlagsTheKernelLocksWhenRemountingReadOnly() {
        long nosuidNodevRelatime = 2 | 4 | 4096;
        assertThat(Mounts.lockedFlags(nosuidNodevRelatime), is(Mounts.MS_NOSUID | Mounts.MS_NODEV
                | Mounts.MS_RELATIME));
        assertThat(Mounts.lockedFlags(8 | 1024), is(Mounts.MS_NOEXEC | Mounts.MS_NOATIME));
        assertThat(Mounts.lockedFlags(0), is(0L));
        assertThat(String.join(" ", Launch.BRIDGE_OPTIONS), containsString("--enable-native-access"));
    }
}
