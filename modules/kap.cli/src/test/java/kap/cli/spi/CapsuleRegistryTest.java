package kap.cli.spi;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CapsuleRegistryTest {

    @TempDir
    Path dir;

    private static Capsule capsule(String id, Instant at) {
        return new Capsule(id, "docker", "demo", Path.of("/home/u/demo"), Capsule.State.RUNNING,
                Optional.of(URI.create("http://127.0.0.1:40123")), Optional.empty(), at,
                Map.of("sidecar", id + "-kap-1"));
    }

    @Test
    void recordsReadBackInStartOrderInAPrivateDirectory() throws Exception {
        CapsuleRegistry registry = new CapsuleRegistry(dir.resolve("capsules"));
        registry.put(capsule("b", Instant.parse("2026-01-02T00:00:00Z")));
        registry.put(capsule("a", Instant.parse("2026-01-01T00:00:00Z")));
        assertThat(registry.all().stream().map(Capsule::id).toList(), contains("a", "b"));
        assertThat(registry.get("b").orElseThrow(), is(capsule("b", Instant.parse("2026-01-02T00:00:00Z"))));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("capsules"))),
                is("rwx------"));
    }

    @Test
    void removingARecordForgetsTheCapsule() throws Exception {
        CapsuleRegistry registry = new CapsuleRegistry(dir);
        registry.put(capsule("a", Instant.now()));
        registry.remove("a");
        assertThat(registry.all(), is(empty()));
        assertThat(registry.get("a"), is(Optional.empty()));
    }

    @Test
    void skipsUnreadableRecordsAndRefusesUnsafeIds() throws Exception {
        CapsuleRegistry registry = new CapsuleRegistry(dir);
        Files.writeString(dir.resolve("junk.json"), "{not json");
        registry.put(capsule("ok", Instant.now()));
        assertThat(registry.all().stream().map(Capsule::id).toList(), contains("ok"));
        assertThrows(IllegalArgumentException.class, () -> registry.get("../etc/passwd"));
    }

    @Test
    void theAdminTokenAndKapTomlRoundTripInAFileOnlyItsOwnerCanRead() throws Exception {
        CapsuleRegistry registry = new CapsuleRegistry(dir);
        Capsule c = new Capsule("p", "docker", "demo", Path.of("/home/u/demo"), Capsule.State.RUNNING,
                Optional.of(URI.create("http://127.0.0.1:40123")), Optional.empty(),
                Instant.parse("2026-01-01T00:00:00Z"),
                Map.of(), Optional.of("t".repeat(43)), Optional.of(Path.of("/home/u/demo/.devcontainer/kap.toml")));
        registry.put(c);
        assertThat(registry.get("p").orElseThrow(), is(c));
        assertThat(registry.get("p").orElseThrow().withState(Capsule.State.STOPPED).adminToken(),
                is(Optional.of("t".repeat(43))));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("p.json"))),
                is("rw-------"));
    }
}
