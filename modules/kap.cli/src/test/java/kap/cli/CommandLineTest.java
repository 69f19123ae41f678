package kap.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * The command line: help lists only commands that work, the version is Maven's, and bad input is a clear error.
 */
class CommandLineTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private PrintStream oldErr;

    @TempDir
    Path dir;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsTheSidecarCommand() {
        assertThat(Main.run("--help"), is(0));
        assertThat(out(), containsString("Usage: kap"));
        assertThat(out(), containsString("sidecar"));
    }

    @Test
    void helpListsTheCapsuleCommandsAndHidesSidecarInit() {
        assertThat(Main.run("--help"), is(0));
        for (String command : new String[] {"init", "up", "down", "exec", "list", "status", "why-denied",
                "completion"}) {
            assertThat(out(), containsString("  " + command + " "));
        }
        assertThat(out(), not(containsString("sidecar-init")));
    }

    @Test
    void remoteHelpListsItsSixCommands() {
        assertThat(Main.run("remote", "--help"), is(0));
        for (String command : new String[] {"start", "stop", "status", "pair", "devices", "revoke"}) {
            assertThat(out(), containsString(command));
        }
    }

    @Test
    void helpShowsNoCommandThatDoesNotWorkYet() {
        Main.run("--help");
        // the original's `kap upgrade` and `kap env` are not part of kap (yet)
        for (String missing : new String[] {"upgrade", " env "}) {
            assertThat(out(), not(containsString(missing)));
        }
    }

    @Test
    void completionScriptsCoverTheCommands() {
        assertThat(Main.run("completion", "bash"), is(0));
        assertThat(out(), containsString("complete -F _complete_kap"));
        assertThat(out(), containsString("why-denied"));
        out.reset();
        assertThat(Main.run("completion", "zsh"), is(0));
        assertThat(out(), startsWith("autoload -U +X compinit"));
        assertThat(Main.run("completion", "fish"), is(1));
    }

    @Test
    void helpListsRun() {
        assertThat(Main.run("--help"), is(0));
        assertThat(out(), containsString("run "));
        assertThat(Main.run("run", "--help"), is(0));
        assertThat(out(), containsString("kap run [-hV] [--unsafe-allow-unix-sockets]"));
    }

    @Test
    void runTakesEverythingFromTheCommandOnAsTheCommandsAndNeedsOne() {
        // kap.cli alone has no namespace runtime: the command line parsed, and the error says what is missing
        assertThat(Main.run("run", "ls", "-la", "--config", "x"), is(125));
        assertThat(err(), containsString("this build of kap has no namespace runtime"));
        assertThat(Main.run("run"), is(2));
        assertThat(err(), containsString("Missing required parameter: 'CMD'"));
    }

    @Test
    void versionComesFromTheBuild() {
        assertThat(Main.run("--version"), is(0));
        assertThat(out(), startsWith("kap 0."));
        assertThat(out(), not(containsString("${project.version}")));
    }

    @Test
    void anUnknownCommandIsAClearError() {
        assertThat(Main.run("frobnicate"), is(2));
        assertThat(err(), containsString("Unmatched argument at index 0: 'frobnicate'"));
    }

    @Test
    void anUnknownOptionIsAClearError() {
        assertThat(Main.run("sidecar", "--colour"), is(2));
        assertThat(err(), containsString("Unknown option: '--colour'"));
    }

    @Test
    void aMissingConfigFileIsAClearErrorWithTheConfigExitCode() {
        Path missing = dir.resolve("nope.toml");
        assertThat(Main.run("sidecar", "--config", missing.toString(), "--no-global"), is(78));
        assertThat(err(), containsString("config file not found: " + missing));
    }

    @Test
    void anInvalidConfigNamesTheLineAndExitsWithTheConfigExitCode() throws Exception {
        Path file = dir.resolve("kap.toml");
        java.nio.file.Files.writeString(file, "[proxy.network]\nallow = [\"*hub.com\"]\n");
        assertThat(Main.run("sidecar", "--config", file.toString(), "--no-global"), is(78));
        assertThat(err(), containsString(file + ":2: proxy.network.allow[0]: invalid rule '*hub.com'"));
    }

    @Test
    void checkValidatesTheConfigurationAndListsTheListenersWithoutStarting() throws Exception {
        Path file = dir.resolve("kap.toml");
        java.nio.file.Files.writeString(file, "[proxy.network]\nallow = [\"github.com\"]\n[cli]\n");
        assertThat(Main.run("sidecar", "--check", "--config", file.toString(), "--no-global"), is(0));
        assertThat(out(), containsString("policy: " + file));
        assertThat(out(), containsString("listener egress: starts"));
        assertThat(out(), containsString("listener dns: starts"));
        assertThat(out(), containsString("listener mcp: off"));
        assertThat(out(), containsString("listener clix: starts"));
    }

    @Test
    void anUnknownProfileIsAClearError() {
        assertThat(Main.run("sidecar", "--profile", "cloud"), is(2));
        assertThat(err(), containsString("Invalid value for option '--profile'"));
    }
}
