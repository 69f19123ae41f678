package kap.runtime.namespace;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * SIGINT and SIGHUP are forwarded only when the terminal did not deliver them already; SIGTERM always is.
 */
class SignalForwarderTest {

    @TempDir
    Path dir;

    private boolean foreground(String stat) throws Exception {
        Path file = dir.resolve("stat");
        Files.writeString(file, stat);
        return SignalForwarder.terminalForeground(file);
    }

    @Test
    void readsTheForegroundGroupFromProcStatEvenWithAWeirdCommandName() throws Exception {
        // pid (comm) state ppid pgrp session tty_nr tpgid
        assertThat(foreground("4242 (java) S 100 4242 100 34816 4242 4194560 0 0"), is(true));
        assertThat(foreground("4242 (a) b (c) S 100 4242 100 34816 4242 4194560"), is(true));
        assertThat("in the background", foreground("4242 (java) S 100 4242 100 34816 999 4194560"), is(false));
        assertThat("no terminal", foreground("4242 (java) S 100 4242 100 0 -1 4194560"), is(false));
        assertThat("unreadable", SignalForwarder.terminalForeground(dir.resolve("missing")), is(false));
    }

    @Test
    void forwardsTermAlwaysAndIntOrHupOnlyWhenTheTerminalDidNotSendThem() {
        assertThat(SignalForwarder.shouldForward(SignalForwarder.SIGTERM, true), is(true));
        assertThat(SignalForwarder.shouldForward(SignalForwarder.SIGTERM, false), is(true));
        assertThat(SignalForwarder.shouldForward(SignalForwarder.SIGINT, true), is(false));
        assertThat(SignalForwarder.shouldForward(SignalForwarder.SIGINT, false), is(true));
        assertThat(SignalForwarder.shouldForward(SignalForwarder.SIGHUP, true), is(false));
        assertThat(SignalForwarder.shouldForward(SignalForwarder.SIGHUP, false), is(true));
    }
}
