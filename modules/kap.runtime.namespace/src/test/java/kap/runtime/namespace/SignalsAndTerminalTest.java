package kap.runtime.namespace;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import kap.runtime.namespace.KapRun.As;
import kap.runtime.namespace.KapRun.Result;
import kap.testing.Eventually;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The terminal and signals pass through: a pseudo-terminal made by {@code script(1)} is the command's terminal, Ctrl-C
 * typed into it reaches the command once (not twice), and SIGTERM, SIGINT and SIGHUP sent to {@code kap} are handed
 * to the command.
 */
@Timeout(120)
class SignalsAndTerminalTest {

    /** A command that counts SIGINTs for a moment after the first and exits 9 with the count. */
    private static final String COUNT_INTS = "n=0; trap 'n=$((n+1))' INT; echo ready; i=0; "
            + "while [ $i -lt 200 ]; do sleep 0.1; i=$((i+1)); if [ $n -gt 0 ]; then sleep 1; echo got-INT-$n; "
            + "exit 9; fi; done; echo no-INT";

    private static KapRun kap(As as, Sandbox sandbox) {
        assumeTrue(as == As.USER || Sandbox.root(), "root tests need root");
        return new KapRun(as, sandbox);
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void givesTheCommandThePseudoTerminalAsItsTerminal(As as) throws Exception {
        Sandbox sandbox = Sandbox.create(as);
        KapRun kap = kap(as, sandbox);
        Process script = script(kap.commandLine(List.of("sh", "-c",
                "tty; [ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo all-three-are-terminals; stty size")));
        String out = readAll(script);
        assertThat(script.waitFor(60, TimeUnit.SECONDS), is(true));
        assertThat(out, script.exitValue(), is(0));
        assertThat(out, containsString("/dev/pts/"));
        assertThat(out, containsString("all-three-are-terminals"));
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void ctrlCTypedAtTheTerminalReachesTheCommandExactlyOnce(As as) throws Exception {
        Sandbox sandbox = Sandbox.create(as);
        KapRun kap = kap(as, sandbox);
        Process script = script(kap.commandLine(List.of("bash", "-c", COUNT_INTS)));
        StringBuilder out = new StringBuilder();
        InputStream in = script.getInputStream();
        assertThat("command ready", Eventually.within(Duration.ofSeconds(60), () -> {
            read(in, out);
            return out.toString().contains("ready");
        }), notNullValue());
        OutputStream keyboard = script.getOutputStream();
        keyboard.write(3);
        keyboard.flush();
        assertThat(script.waitFor(60, TimeUnit.SECONDS), is(true));
        read(in, out);
        assertThat(out.toString(), containsString("got-INT-1"));
        assertThat(out.toString(), not(containsString("got-INT-2")));
        assertThat(out.toString(), script.exitValue(), is(9));
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void forwardsSigtermSigintAndSighupSentToKap(As as) throws Exception {
        for (String signal : List.of("TERM", "INT", "HUP")) {
            Sandbox sandbox = Sandbox.create(as);
            KapRun kap = kap(as, sandbox);
            Process process = kap.start("bash", "-c", "trap 'echo got-" + signal + "; exit 3' " + signal
                    + "; echo ready; sleep 60 & wait");
            assertThat(Eventually.within(Duration.ofSeconds(60), () -> stdout(kap).contains("ready")),
                    notNullValue());
            kill(signal, process.pid());
            Result r = kap.finish(process, Duration.ofSeconds(30));
            assertThat(signal + ": " + r.stderr(), r.exit(), is(3));
            assertThat(r.stdout(), containsString("got-" + signal));
        }
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void killsTheCapsuleWhenTheCommandIgnoresSigterm(As as) throws Exception {
        Sandbox sandbox = Sandbox.create(as);
        KapRun kap = kap(as, sandbox);
        Process process = kap.start("bash", "-c", "trap '' TERM; echo ready; sleep 60; echo survived");
        assertThat(Eventually.within(Duration.ofSeconds(60), () -> stdout(kap).contains("ready")), notNullValue());
        kill("TERM", process.pid());
        Result r = kap.finish(process, RunSession.TERM_GRACE.plusSeconds(20));
        assertThat(r.stdout(), not(containsString("survived")));
        assertThat(r.stderr(), containsString("did not end within 10 s of SIGTERM"));
        assertThat(r.exit(), is(137));
        assertThat(Leftovers.processes(sandbox.dir().toString()), is(List.of()));
    }

    /**
     * Runs a command line under {@code script -qec}, which gives it a new pseudo-terminal. {@code script} runs it with
     * {@code $SHELL -c}, or {@code /bin/sh} (dash) where {@code SHELL} is unset, as on CI; {@code exec} keeps that
     * shell out of the terminal's foreground group, where dash would die of the Ctrl-C meant for the command.
     */
    static Process script(List<String> commandLine) throws Exception {
        String quoted = "exec " + commandLine.stream().map(a -> "'" + a.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
        ProcessBuilder builder = new ProcessBuilder("script", "-qec", quoted, "/dev/null").redirectErrorStream(true);
        builder.environment().put("TERM", "dumb");
        return builder.start();
    }

    static void kill(String signal, long pid) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor(), is(0));
    }

    private static String stdout(KapRun kap) {
        try {
            return kap.stdout();
        } catch (Exception e) {
            return "";
        }
    }

    private static String readAll(Process p) throws Exception {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void read(InputStream in, StringBuilder out) {
        try {
            int n = in.available();
            if (n > 0) {
                out.append(new String(in.readNBytes(n), StandardCharsets.UTF_8));
            }
        } catch (Exception e) {
            // the stream closed: what was read is all there is
        }
    }
}
