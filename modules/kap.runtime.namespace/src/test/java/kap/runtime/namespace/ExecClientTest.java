package kap.runtime.namespace;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import kap.cli.spi.Capsule;
import kap.cli.spi.CapsuleRegistry;
import kap.cli.spi.RuntimeContext;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The registry record is only trusted as far as it names a runtime directory {@code kap run} would have made: a
 * record pointing anywhere else, at someone else's or a shared directory, is refused before any socket is opened,
 * and a capsule that has ended says so.
 */
@Timeout(30)
class ExecClientTest {

    private static final String ID = "ns-0123abcd";

    @TempDir
    Path home;

    private RuntimeContext context() {
        return new RuntimeContext(home, Map.of(), new PrintStream(PrintStream.nullOutputStream()),
                new CapsuleRegistry(home.resolve("capsules")));
    }

    private static Capsule capsule(String id, Map<String, String> details) {
        return new Capsule(id, NamespaceRuntimeProvider.NAME, "w", Path.of("/w"), Capsule.State.RUNNING,
                Optional.empty(), Optional.empty(), Instant.now(), details);
    }

    private Path runtimeDir(String mode) throws IOException {
        Path dir = Files.createDirectories(home.resolve("run").resolve(ID));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
        return dir;
    }

    private IOException refusal(Capsule capsule) {
        return assertThrows(IOException.class,
                () -> ExecClient.run(capsule, context(), List.of("true"), Duration.ofSeconds(5)));
    }

    @Test
    void aRecordWithoutARuntimeDirectoryIsRefused() {
        assertThat(refusal(capsule(ID, Map.of())).getMessage(), containsString("names no runtime directory"));
    }

    @Test
    void aRecordNamingADirectoryOutsideKapsOwnIsRefused() throws IOException {
        Path elsewhere = Files.createDirectories(home.resolve("elsewhere").resolve(ID));
        for (String dir : List.of(elsewhere.toString(), home.resolve("run/../elsewhere/" + ID).toString(),
                "run/" + ID, "/tmp")) {
            assertThat(refusal(capsule(ID, Map.of("runtime_dir", dir))).getMessage(),
                    containsString("is not a kap runtime directory"));
        }
        // the directory must be the capsule's own
        runtimeDir("rwx------");
        assertThat(refusal(capsule("ns-99999999", Map.of("runtime_dir", home.resolve("run/" + ID).toString())))
                .getMessage(), containsString("is not a kap runtime directory"));
    }

    @Test
    void aDirectoryOthersCanEnterIsRefused() throws IOException {
        Path dir = runtimeDir("rwxr-xr-x");
        assertThat(refusal(capsule(ID, Map.of("runtime_dir", dir.toString()))).getMessage(),
                containsString("is not a private directory of yours"));
    }

    @Test
    void aSymbolicLinkInPlaceOfTheDirectoryIsRefused() throws IOException {
        Path target = Files.createDirectories(home.resolve("target"));
        Files.createDirectories(home.resolve("run"));
        Path link = Files.createSymbolicLink(home.resolve("run").resolve(ID), target);
        assertThat(refusal(capsule(ID, Map.of("runtime_dir", link.toString()))).getMessage(),
                containsString("is not a directory; refusing"));
    }

    @Test
    void aCapsuleWhoseSocketIsGoneHasEnded() throws IOException {
        Path dir = runtimeDir("rwx------");
        IOException e = refusal(capsule(ID, Map.of("runtime_dir", dir.toString())));
        assertThat(e.getMessage(), containsString("the capsule " + ID + " has ended (nothing answers at "));
        Files.delete(dir);
        assertThat(refusal(capsule(ID, Map.of("runtime_dir", dir.toString()))).getMessage(),
                is("the capsule " + ID + " has ended (its runtime directory is gone)"));
    }

    @Test
    void badArgumentsAreTheCallersMistake() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExecClient.run(
                capsule(ID, Map.of()), context(), List.of("sleep", "1"), Duration.ofHours(2)));
        assertThat(e.getMessage(), containsString("the timeout must be 1 ms to 60 minutes"));
    }
}
