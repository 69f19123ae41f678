package kap.runtime.namespace;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import kap.runtime.namespace.KapRun.As;
import kap.runtime.namespace.KapRun.Result;
import kap.testing.Eventually;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Nothing stays behind: no process (the command, a daemon it left, the bridge, {@code unshare}), no socket and no
 * runtime file, after a normal exit, after SIGINT or SIGTERM to {@code kap}, after SIGKILL of the command, and after
 * SIGKILL of {@code kap} itself (whose directory and registry record the next run sweeps).
 */
@Timeout(180)
class CleanupTest {

    private static Sandbox sandbox(As as) throws Exception {
        assumeTrue(as == As.USER || Sandbox.root(), "root tests need root");
        return Sandbox.create(as);
    }

    /** A command that leaves a daemon behind and then waits; both carry the sandbox path as their name. */
    private static String[] daemonAndWait(Sandbox sandbox) {
        String marker = sandbox.dir().toString();
        return new String[] {"bash", "-c", "(exec -a " + marker + "/daemon sleep 300) & echo ready; "
                + "exec -a " + marker + "/main sleep 300"};
    }

    private static void assertNothingLeft(Sandbox sandbox) throws Exception {
        String marker = sandbox.dir().toString();
        assertThat("processes gone", Eventually.within(Duration.ofSeconds(10),
                () -> Leftovers.processes(marker).isEmpty()), notNullValue());
        assertThat(Leftovers.unixSockets(marker), is(empty()));
        assertThat(Leftovers.runtimeFiles(sandbox), is(empty()));
        assertThat(Files.list(sandbox.kapHome().resolve("capsules")).toList(), is(empty()));
    }

    private static void awaitRunning(KapRun kap, Sandbox sandbox) throws Exception {
        assertThat("capsule running", Eventually.within(Duration.ofSeconds(60), () -> {
            try {
                return kap.stdout().contains("ready") && Leftovers.named(sandbox.dir() + "/daemon") > 0
                        && Leftovers.named(sandbox.dir() + "/main") > 0;
            } catch (Exception e) {
                return false;
            }
        }), notNullValue());
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void leavesNothingAfterANormalExit(As as) throws Exception {
        Sandbox sandbox = sandbox(as);
        String marker = sandbox.dir().toString();
        Result r = new KapRun(as, sandbox).run("bash", "-c", "(exec -a " + marker + "/daemon sleep 300) & exit 0");
        assertThat(r.stderr(), r.exit(), is(0));
        assertNothingLeft(sandbox);
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void leavesNothingAfterSigintOrSigtermToKap(As as) throws Exception {
        for (String signal : List.of("INT", "TERM")) {
            Sandbox sandbox = sandbox(as);
            KapRun kap = new KapRun(as, sandbox);
            Process process = kap.start(daemonAndWait(sandbox));
            awaitRunning(kap, sandbox);
            SignalsAndTerminalTest.kill(signal, process.pid());
            Result r = kap.finish(process, Duration.ofSeconds(30));
            assertThat(signal + ": " + r.stderr(), r.exit(), is(128 + (signal.equals("INT") ? 2 : 15)));
            assertNothingLeft(sandbox);
        }
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void leavesNothingAfterSigkillOfTheCommand(As as) throws Exception {
        Sandbox sandbox = sandbox(as);
        KapRun kap = new KapRun(as, sandbox);
        Process process = kap.start(daemonAndWait(sandbox));
        awaitRunning(kap, sandbox);
        long command = Leftovers.named(sandbox.dir() + "/main");
        assertThat(command, greaterThan(0L));
        SignalsAndTerminalTest.kill("KILL", command);
        Result r = kap.finish(process, Duration.ofSeconds(30));
        assertThat(r.stderr(), r.exit(), is(137));
        assertNothingLeft(sandbox);
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void leavesNoProcessAfterSigkillOfKapAndTheNextRunSweepsWhatItLeft(As as) throws Exception {
        Sandbox sandbox = sandbox(as);
        KapRun kap = new KapRun(as, sandbox);
        Process process = kap.start(daemonAndWait(sandbox));
        awaitRunning(kap, sandbox);
        assertThat(Files.list(sandbox.kapHome().resolve("capsules")).toList(), hasSize(1));
        SignalsAndTerminalTest.kill("KILL", process.pid());
        process.waitFor();
        String marker = sandbox.dir().toString();
        assertThat("processes gone", Eventually.within(Duration.ofSeconds(10),
                () -> Leftovers.processes(marker).isEmpty()), notNullValue());
        assertThat(Leftovers.unixSockets(marker), is(empty()));
        // a dead process cannot delete its files: the stale directory and record are there until the next run
        assertThat(Leftovers.runtimeFiles(sandbox).isEmpty(), is(false));
        Result next = new KapRun(as, sandbox).run("true");
        assertThat(next.stderr(), next.exit(), is(0));
        assertNothingLeft(sandbox);
    }
}
