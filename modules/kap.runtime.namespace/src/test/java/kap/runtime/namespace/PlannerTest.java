package kap.runtime.namespace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import kap.policy.ConfigFiles;
import kap.policy.KapConfig;
import kap.policy.ListenDefaults;
import kap.policy.LivePolicy;
import kap.policy.AddressClassifier;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * What the capsule sees: kap's directories hidden (never one that holds the working directory), the policy files and
 * the audit log read-only, and an environment that points every client at the capsule's proxies.
 */
class PlannerTest {

    @TempDir
    Path dir;

    private KapConfig config(String toml) throws Exception {
        Path file = dir.resolve("kap.toml");
        Files.writeString(file, toml);
        ListenDefaults local = ListenDefaults.local();
        ConfigFiles files = new ConfigFiles(Optional.of(file), List.of(), new ListenDefaults(local.egress(),
                local.dns(), local.mcp(), local.cli(), local.admin(), dir.resolve("kap/log/audit.jsonl")));
        try (LivePolicy policy = LivePolicy.loadOnce(files, AddressClassifier.create(java.util.Set::of))) {
            return policy.current().config();
        }
    }

    @Test
    void hidesKapsHomeAndTheRuntimeDirectoryButReadsThePolicyAndAuditLogOnly() throws Exception {
        Path kap = Files.createDirectories(dir.resolve("kap"));
        Path xdg = Files.createDirectories(dir.resolve("xdg"));
        Path auth = Files.createDirectories(dir.resolve("auth"));
        Path work = Files.createDirectories(dir.resolve("work"));
        KapConfig config = config("[mcp]\nauth_dir = \"" + auth + "\"\n[proxy.network]\nallow = [\"a.test\"]\n");
        MountPlan plan = Planner.mounts(config, work, Map.of("XDG_RUNTIME_DIR", xdg.toString()), List.of(kap),
                xdg.resolve("kap/ns-1"));
        assertThat(plan.masks(), hasItems(kap, xdg, auth));
        assertThat(plan.readOnly(), hasItems(dir.resolve("kap.toml"), dir.resolve("kap/log/audit.jsonl")));
        assertThat(plan.resolvSource(), is(xdg.resolve("kap/ns-1/resolv.conf")));
    }

    @Test
    void neverHidesADirectoryThatHoldsTheWorkingDirectoryOrOneThatDoesNotExist() throws Exception {
        Path kap = Files.createDirectories(dir.resolve("kap"));
        Path work = Files.createDirectories(kap.resolve("project"));
        KapConfig config = config("[proxy.network]\nallow = [\"a.test\"]\n");
        MountPlan plan = Planner.mounts(config, work, Map.of("XDG_RUNTIME_DIR", dir.resolve("none").toString()),
                List.of(kap, Path.of("/")), dir.resolve("run"));
        assertThat(plan.masks(), not(hasItem(kap)));
        assertThat(plan.masks(), not(hasItem(Path.of("/"))));
        assertThat(plan.masks(), not(hasItem(dir.resolve("none"))));
    }

    @Test
    void pointsEveryClientAtTheCapsulesProxiesAndDropsUnusableSocketVariables() {
        Map<String, String> user = Map.of("PATH", "/usr/bin:/bin", "HOME", "/home/u", "SSH_AUTH_SOCK", "/tmp/a",
                "DBUS_SESSION_BUS_ADDRESS", "unix:path=/run/user/1/bus", "HTTP_PROXY", "http://corp:8080");
        List<String> env = Planner.environment(user, "ns-1", Path.of("/r/shims"), false);
        assertThat(env, hasItems("HTTP_PROXY=http://127.0.0.1:3128", "https_proxy=http://127.0.0.1:3128",
                "NO_PROXY=localhost,127.0.0.1,::1", "no_proxy=localhost,127.0.0.1,::1", "KAP_CAPSULE=ns-1",
                "KAP_CLIX=127.0.0.1:3130", "PATH=/r/shims:/usr/bin:/bin", "HOME=/home/u"));
        assertThat(env.stream().anyMatch(e -> e.startsWith("SSH_AUTH_SOCK=")), is(false));
        assertThat(env.stream().anyMatch(e -> e.startsWith("DBUS_SESSION_BUS_ADDRESS=")), is(false));
        assertThat(Planner.environment(user, "ns-1", Path.of("/r/shims"), true), hasItem("SSH_AUTH_SOCK=/tmp/a"));
    }
}
