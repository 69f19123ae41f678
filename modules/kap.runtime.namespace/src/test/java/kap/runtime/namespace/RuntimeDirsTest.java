package kap.runtime.namespace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Runtime directories are private, live under {@code $XDG_RUNTIME_DIR} when there is one, refuse paths too long for
 * Unix sockets, and are swept only when their owner is gone.
 */
class RuntimeDirsTest {

    @TempDir
    Path dir;

    @Test
    void usesXdgRuntimeDirWhenItIsUsableElseKapsHome() throws IOException {
        Path xdg = Files.createDirectories(dir.resolve("xdg"));
        assertThat(RuntimeDirs.base(Map.of("XDG_RUNTIME_DIR", xdg.toString()), dir.resolve("kap")),
                is(xdg.resolve("kap")));
        assertThat(RuntimeDirs.base(Map.of("XDG_RUNTIME_DIR", "relative"), dir.resolve("kap")),
                is(dir.resolve("kap/run")));
        assertThat(RuntimeDirs.base(Map.of(), dir.resolve("kap")), is(dir.resolve("kap/run")));
    }

    @Test
    void createsAPrivateDirectoryOwnedByThisProcess() throws IOException {
        Path created = RuntimeDirs.create(dir.resolve("kap/run"), "ns-1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(created)), is("rwx------"));
        assertThat(RuntimeDirs.alive(created), is(true));
        RuntimeDirs.sweep(dir.resolve("kap/run"));
        assertThat(Files.exists(created), is(true));
    }

    @Test
    void sweepsADirectoryWhoseOwnerIsGoneOrWasReplacedByAnotherProcess() throws IOException {
        Path base = Files.createDirectories(dir.resolve("run"));
        Path dead = Files.createDirectories(base.resolve("ns-dead"));
        Files.writeString(dead.resolve("owner"), "2147483646 1\n");
        Path reused = Files.createDirectories(base.resolve("ns-reused"));
        Files.writeString(reused.resolve("owner"), ProcessHandle.current().pid() + " 12345\n");
        Files.writeString(reused.resolve("egress.sock"), "");
        RuntimeDirs.sweep(base);
        assertThat(Files.exists(dead), is(false));
        assertThat(Files.exists(reused), is(false));
    }

    @Test
    void refusesADirectoryTooDeepForUnixSocketPaths() {
        Path deep = dir.resolve("x".repeat(100));
        IOException e = assertThrows(IOException.class, () -> RuntimeDirs.create(deep, "ns-1"));
        assertThat(e.getMessage(), containsString("too long for Unix socket paths"));
    }
}
