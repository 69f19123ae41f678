package kap.runtime.namespace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntConsumer;

import sun.misc.Signal;

/**
 * Replaces the JVM's handlers for SIGINT, SIGTERM and SIGHUP (which would start a shutdown) with one that hands the
 * signal to the command.
 *
 * <p>A terminal sends Ctrl-C's SIGINT (and a hang-up's SIGHUP) to its whole foreground process group, and the command
 * is in it: it already has the signal. Forwarding it as well would deliver it twice, and many interactive programs
 * treat a second Ctrl-C as "quit". So SIGINT and SIGHUP are forwarded only when {@code kap run} is not in the
 * foreground group of its terminal (no terminal, in the background, or the command has taken the terminal for a group
 * of its own); SIGTERM never comes from a terminal and is always forwarded.
 */
final class SignalForwarder {

    static final int SIGHUP = 1;
    static final int SIGINT = 2;
    static final int SIGTERM = 15;
    private static final List<String> SIGNALS = List.of("INT", "TERM", "HUP");

    private SignalForwarder() {
    }

    /**
     * Installs the handlers for the rest of this JVM's life.
     *
     * @param forward receives each signal number to pass on
     */
    static void install(IntConsumer forward) {
        for (String name : SIGNALS) {
            Signal.handle(new Signal(name), s -> {
                if (shouldForward(s.getNumber(), terminalForeground(Path.of("/proc/self/stat")))) {
                    forward.accept(s.getNumber());
                }
            });
        }
    }

    static boolean shouldForward(int signal, boolean terminalForeground) {
        return signal == SIGTERM || !terminalForeground;
    }

    /**
     * Whether this process is in the foreground process group of its controlling terminal, from
     * {@code /proc/self/stat}: {@code pid (comm) state ppid pgrp session tty_nr tpgid ...}.
     *
     * @param stat the stat file
     * @return {@code true} if a terminal's signals reach this process group
     */
    static boolean terminalForeground(Path stat) {
        try {
            String text = ProcFiles.read(stat);
            String[] f = text.substring(text.lastIndexOf(')') + 2).trim().split(" ");
            long pgrp = Long.parseLong(f[2]);
            long tty = Long.parseLong(f[4]);
            long tpgid = Long.parseLong(f[5]);
            return tty != 0 && tpgid == pgrp;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
