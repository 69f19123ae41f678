package kap.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import kap.cli.spi.Capsule;
import kap.cli.spi.CapsuleRegistry;
import kap.cli.spi.CapsuleRuntime;
import kap.cli.spi.CapsuleShell;
import kap.cli.spi.RuntimeContext;
import kap.cli.spi.RuntimeProvider;
import kap.remote.AgentShell;
import kap.remote.CapsuleRef;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The remote daemon's capsules come from the registry, with the state their runtime reports now, the admin token
 * and kap.toml recorded for them, and the runtime's shell into them. The runtime here is a test provider whose shell
 * runs the command as a local process: what a real runtime does inside its capsule.
 */
class RegistryCapsulesTest {

    @TempDir
    Path home;

    /** A runtime that says every capsule is stopped and whose shell runs commands locally. */
    static final class LocalRuntimeProvider implements RuntimeProvider {
        @Override
        public String name() {
            return "local";
        }

        @Override
        public Availability availability() {
            return new Availability(true, "test");
        }

        @Override
        public CapsuleRuntime create(RuntimeContext context) {
            return new CapsuleRuntime() {
                @Override
                public String name() {
                    return "local";
                }

                @Override
                public List<Capsule> capsules() throws IOException {
                    return context.registry().all().stream().filter(c -> c.runtime().equals("local"))
                            .map(c -> c.withState(Capsule.State.STOPPED)).toList();
                }

                @Override
                public Optional<CapsuleShell> shell(Capsule capsule) {
                    return Optional.of((argv, timeout) -> {
                        Process p = new ProcessBuilder(argv).start();
                        try {
                            p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
                        } catch (InterruptedException e) {
                            throw new IOException(e);
                        }
                        return new CapsuleShell.Result(p.exitValue(),
                                new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8), "");
                    });
                }
            };
        }
    }

    @Test
    void mapsRecordsWithLiveStateTokenConfigAndShell() throws Exception {
        Path project = Files.createDirectories(home.resolve("shop/.devcontainer"));
        Files.writeString(project.resolve("kap.toml"), "[proxy.network]\nallow = []\n");
        CapsuleRegistry registry = new CapsuleRegistry(home.resolve("capsules"));
        registry.put(new Capsule("shop", "local", "shop", home.resolve("shop"), Capsule.State.RUNNING,
                Optional.of(URI.create("http://127.0.0.1:4000/")), Optional.empty(), Instant.now(), Map.of("a", "b"),
                Optional.of("k".repeat(43)), Optional.empty()));
        registry.put(new Capsule("other", "docker", "other", home.resolve("other"), Capsule.State.RUNNING,
                Optional.empty(), Optional.empty(), Instant.now(), Map.of()));
        RegistryCapsules source = new RegistryCapsules(home, List.of(new LocalRuntimeProvider()));
        List<CapsuleRef> refs = source.capsules();
        CapsuleRef shop = refs.stream().filter(r -> r.id().equals("shop")).findFirst().orElseThrow();
        assertThat("the runtime's state wins", shop.state(), is("stopped"));
        assertThat(shop.adminToken(), is(Optional.of("k".repeat(43))));
        assertThat("kap.toml found in .devcontainer", shop.config(), is(Optional.of(project.resolve("kap.toml"))));
        AgentShell shell = source.shell(shop).orElseThrow();
        assertThat(shell.run(List.of("echo", "inside"), Duration.ofSeconds(5)).stdout(), is("inside\n"));
        CapsuleRef other = refs.stream().filter(r -> r.id().equals("other")).findFirst().orElseThrow();
        assertThat("no docker runtime here: recorded state, no shell", other.state(), is("running"));
        assertThat(source.shell(other), is(Optional.empty()));
    }
}
