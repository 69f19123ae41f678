package kap.clix;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import kap.policy.AuditEvent;
import kap.shim.ShimScript;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * The shim directory follows the policy (written on start, rewritten on reload only where changed, stale shims
 * removed, other files left alone), and direct mode hands the credentials to the real binary in the capsule.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShimsAndDirectModeTest {

    private static final String CONFIG = """
            [cli]
            listen = "127.0.0.1:0"
            [[cli.tools]]
            name = "hello"
            allow = ["*"]
            [[cli.tools]]
            name = "dtool"
            mode = "direct"
            env = ["DTOKEN"]
            """;

    @TempDir
    static Path dir;

    static ClixFixture clix;
    static Path capsuleBin;

    @BeforeAll
    static void start() throws Exception {
        clix = new ClixFixture(dir, CONFIG);
        clix.tool("hello", "echo hello from the sidecar");
        clix.tool("later", "echo added by a reload");
        Files.writeString(clix.envFile, "DTOKEN=direct-token-value\n");
        capsuleBin = Files.createDirectories(dir.resolve("capsule-bin"));
        Path real = capsuleBin.resolve("dtool");
        Files.writeString(real, "#!/bin/sh\necho \"token=$DTOKEN proxy=$HTTPS_PROXY args=$*\"\nexit 7\n");
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterAll
    static void stop() throws Exception {
        clix.close();
    }

    @Test
    @Order(1)
    void everyToolHasAnExecutableShimScript() throws Exception {
        for (String tool : List.of("hello", "dtool")) {
            Path shim = clix.shims.resolve(tool);
            assertThat(tool, Files.isExecutable(shim), is(true));
            assertThat(ShimScript.isShim(shim), is(true));
            assertThat(Files.readString(shim), containsString("#!/bin/sh\n"));
            Process check = new ProcessBuilder("sh", "-n", shim.toString()).start();
            assertThat(check.waitFor(), is(0));
        }
        assertThat(clix.shim("hello", List.of()).out(), is("hello from the sidecar\n"));
    }

    @Test
    @Order(2)
    void directModeRunsTheRealBinaryWithTheCredentials() throws Exception {
        ClixFixture.Run r = clix.shim("dtool", List.of("a b", "c"), clix.workspace, "",
                Map.of("PATH", clix.shims + ":" + capsuleBin + ":/usr/bin:/bin", "HTTPS_PROXY", "http://proxy:3128"));
        assertThat(r.err(), r.exit(), is(7));
        assertThat(r.out(), is("token=direct-token-value proxy=http://proxy:3128 args=a b c\n"));
        AuditEvent e = clix.lastEvent();
        assertThat(e.verdict(), is(AuditEvent.Outcome.ALLOW));
        assertThat(e.reason(), is("direct mode"));
        assertThat(e.subject(), is("dtool 'a b' c"));
    }

    @Test
    @Order(3)
    void directModeWithoutARealBinarySaysSo() throws Exception {
        ClixFixture.Run r = clix.shim("dtool", List.of());
        assertThat(r.exit(), is(127));
        assertThat(r.err(), containsString("no dtool on PATH other than the kap shim"));
    }

    @Test
    @Order(4)
    void aReloadRewritesOnlyWhatChangedAndRemovesStaleShims() throws Exception {
        FileTime old = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
        Files.setLastModifiedTime(clix.shims.resolve("hello"), old);
        Path foreign = clix.shims.resolve("notes.txt");
        Files.writeString(foreign, "not a shim");
        clix.reload("""
                [cli]
                listen = "127.0.0.1:0"
                [[cli.tools]]
                name = "hello"
                allow = ["*"]
                [[cli.tools]]
                name = "later"
                allow = ["*"]
                """);
        assertThat(Files.exists(clix.shims.resolve("dtool")), is(false));
        assertThat(Files.isExecutable(clix.shims.resolve("later")), is(true));
        assertThat(Files.getLastModifiedTime(clix.shims.resolve("hello")), is(old));
        assertThat(Files.readString(foreign), is("not a shim"));
        assertThat(clix.shim("later", List.of()).out(), is("added by a reload\n"));
    }
}
