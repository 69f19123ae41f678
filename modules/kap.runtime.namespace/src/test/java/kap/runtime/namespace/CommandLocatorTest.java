package kap.runtime.namespace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import kap.runtime.namespace.CommandLocator.CommandException;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Commands are found as a shell finds them, in the command's own PATH, with a shell's exit codes when they are not.
 */
class CommandLocatorTest {

    @TempDir
    Path dir;

    private Path file(String name, String mode) throws Exception {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, "#!/bin/sh\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    @Test
    void findsTheFirstExecutableInPathInOrder() throws Exception {
        file("a/tool", "rw-r--r--");
        Path b = file("b/tool", "rwxr-xr-x");
        file("c/tool", "rwxr-xr-x");
        String path = dir.resolve("a") + ":" + dir.resolve("b") + ":" + dir.resolve("c");
        assertThat(CommandLocator.locate("tool", dir, Optional.of(path)), is(b));
    }

    @Test
    void takesANameWithASlashAsAPathRelativeToTheWorkingDirectory() throws Exception {
        Path script = file("bin/run.sh", "rwxr-xr-x");
        assertThat(CommandLocator.locate("./bin/run.sh", dir, Optional.empty()), is(dir.resolve("./bin/run.sh")));
        assertThat(CommandLocator.locate(script.toString(), Path.of("/"), Optional.empty()), is(script));
    }

    @Test
    void answers127ForMissingAnd126ForNotExecutable() throws Exception {
        CommandException missing = assertThrows(CommandException.class,
                () -> CommandLocator.locate("nope-kap", dir, Optional.of(dir.toString())));
        assertThat(missing.exitCode(), is(127));
        assertThat(missing.getMessage(), containsString("nope-kap: command not found"));
        file("plain", "rw-r--r--");
        assertThat(assertThrows(CommandException.class,
                () -> CommandLocator.locate("plain", dir, Optional.of(dir.toString()))).exitCode(), is(126));
        assertThat(assertThrows(CommandException.class,
                () -> CommandLocator.locate("./plain", dir, Optional.empty())).exitCode(), is(126));
        assertThat(assertThrows(CommandException.class,
                () -> CommandLocator.locate(dir.toString(), dir, Optional.empty())).exitCode(), is(126));
        assertThat(assertThrows(CommandException.class,
                () -> CommandLocator.locate("./missing", dir, Optional.empty())).exitCode(), is(127));
    }
}
