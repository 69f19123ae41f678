package kap.clix;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The capsule's working directory maps into the sidecar's workspace, and every way out is refused.
 */
class WorkspaceTest {

    @TempDir
    static Path dir;

    static Workspace workspace;

    @BeforeAll
    static void layout() throws Exception {
        Path ws = Files.createDirectories(dir.resolve("sidecar/workspace"));
        Files.createDirectories(ws.resolve("src/main"));
        Files.createDirectories(dir.resolve("elsewhere"));
        Files.createSymbolicLink(ws.resolve("out"), dir.resolve("elsewhere"));
        Files.createSymbolicLink(ws.resolve("in"), ws.resolve("src"));
        Files.writeString(ws.resolve("file"), "x");
        workspace = new Workspace(ws, "/workspaces/proj");
    }

    record Case(String cwd, String expected) {
        @Override
        public String toString() {
            return cwd.isEmpty() ? "(empty)" : cwd;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(new Case("/workspaces/proj", ""), new Case("/workspaces/proj/", ""),
                new Case("/workspaces/proj/src/main", "src/main"), new Case("/workspaces/proj/./src", "src"),
                new Case("/workspaces/proj/in/main", "src/main"),
                new Case("/workspaces/proj/../proj", "ERROR contains '..'"),
                new Case("/workspaces/proj/src/../../etc", "ERROR contains '..'"),
                new Case("/workspaces/projX", "ERROR outside the workspace"),
                new Case("/etc", "ERROR outside the workspace"), new Case("relative/dir", "ERROR not an absolute path"),
                new Case("", "ERROR not an absolute path"),
                new Case("/workspaces/proj/out", "ERROR through a symbolic link"),
                new Case("/workspaces/proj/missing", "ERROR does not exist"),
                new Case("/workspaces/proj/file", "ERROR is not a directory"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void maps(Case c) throws Exception {
        if (c.expected().startsWith("ERROR")) {
            ClixException e = assertThrows(ClixException.class, () -> workspace.resolve(c.cwd()));
            assertThat(e.getMessage(), containsString(c.expected().substring(6)));
            assertThat(e.reason(), is(ClixException.CWD_REFUSED));
        } else {
            Path root = workspace.sidecarRoot().toRealPath();
            assertThat(workspace.resolve(c.cwd()), is(c.expected().isEmpty() ? root : root.resolve(c.expected())));
        }
    }
}
