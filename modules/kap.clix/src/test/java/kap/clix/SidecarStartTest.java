package kap.clix;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import kap.policy.ConfigFiles;
import kap.policy.Endpoint;
import kap.policy.ListenDefaults;
import kap.sidecar.Sidecar;
import kap.sidecar.SidecarOptions;
import kap.sidecar.spi.ListenerProvider;
import kap.testing.Eventually;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

/**
 * The sidecar finds the CLI proxy through ServiceLoader, starts it only when {@code [cli]} is present, takes its
 * settings from {@code kap.clix.*} properties, and regenerates the shims when kap.toml changes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SidecarStartTest {

    @TempDir
    Path dir;

    @AfterEach
    void clearProperties() {
        for (String key : List.of("workspace", "shim-dir", "shim-java", "shim-module-path", "env-file", "home")) {
            System.clearProperty("kap.clix." + key);
        }
    }

    private Sidecar start(String toml) throws Exception {
        Path config = dir.resolve("kap.toml");
        Files.writeString(config, toml + "\n[proxy]\nlisten = \"127.0.0.1:0\"\ndns_listen = \"127.0.0.1:0\"\n"
                + "admin_listen = \"127.0.0.1:0\"\n[proxy.observe]\nlog = \"" + dir.resolve("audit.jsonl") + "\"\n");
        Endpoint any = Endpoint.parse("127.0.0.1:0", -1);
        ListenDefaults defaults = new ListenDefaults(any, any, any, any, any, dir.resolve("audit.jsonl"));
        SidecarOptions options = SidecarOptions.of(new ConfigFiles(Optional.of(config), List.of(), defaults));
        return Sidecar.start(new SidecarOptions(options.files(), Duration.ofMillis(50), options.resolver(),
                options.classifier()));
    }

    @Test
    void theProviderIsFoundAndStartsOnlyWithACliTable() throws Exception {
        assertThat(Sidecar.providers().stream().map(ListenerProvider::name).toList(), hasItem("clix"));
        try (Sidecar sidecar = start("")) {
            assertThat(sidecar.listener("clix").isPresent(), is(false));
        }
    }

    @Test
    void theSidecarWritesShimsThatWorkAndFollowsReloads() throws Exception {
        Path workspace = Files.createDirectories(dir.resolve("ws"));
        Path shims = dir.resolve("shims");
        System.setProperty("kap.clix.workspace", workspace.toString());
        System.setProperty("kap.clix.shim-dir", shims.toString());
        System.setProperty("kap.clix.shim-java", ClixFixture.java());
        System.setProperty("kap.clix.shim-module-path", ClixFixture.shimModulePath());
        System.setProperty("kap.clix.env-file", dir.resolve("none.env").toString());
        String tools = "[cli]\nlisten = \"127.0.0.1:0\"\n[[cli.tools]]\nname = \"true\"\nallow = [\"*\"]\n";
        try (Sidecar sidecar = start(tools)) {
            int port = sidecar.listener("clix").orElseThrow().addresses().getFirst().getPort();
            ProcessBuilder run = new ProcessBuilder(shims.resolve("true").toString()).directory(workspace.toFile());
            run.environment().clear();
            run.environment().put("KAP_CLIX", "127.0.0.1:" + port);
            assertThat(run.start().waitFor(), is(0));
            Files.writeString(dir.resolve("kap.toml"), Files.readString(dir.resolve("kap.toml")).replace(
                    "name = \"true\"", "name = \"false\""));
            assertThat(Eventually.within(Duration.ofSeconds(10), () -> Files.exists(shims.resolve("false"))
                    && !Files.exists(shims.resolve("true"))), notNullValue());
        }
    }
}
