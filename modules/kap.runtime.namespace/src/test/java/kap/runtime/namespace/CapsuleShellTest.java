package kap.runtime.namespace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import kap.cli.spi.CapsuleShell;
import kap.runtime.namespace.ControlMessage.ExecResult;
import kap.runtime.namespace.KapRun.As;
import kap.testing.Eventually;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code NamespaceRuntime.shell()}, which {@code kap remote}'s agent tab uses, against a real running {@code kap run}
 * capsule, as root and as an unprivileged user: the command runs inside the capsule, exactly as confined as the
 * capsule's own command, and its exit code, output, timeout and background children behave as a shell's would.
 */
@Timeout(180)
class CapsuleShellTest {

    private static final Duration SHORT = Duration.ofSeconds(30);

    /** A running capsule, and a shell into it. */
    private record Running(KapRun kap, Process process, ShellClient shell) implements AutoCloseable {

        @Override
        public void close() throws Exception {
            SignalsAndTerminalTest.kill("TERM", process.pid());
            kap.finish(process, Duration.ofSeconds(30));
        }
    }

    private static Running start(As as) throws Exception {
        assumeTrue(as == As.USER || Sandbox.root(), "root tests need root");
        Sandbox sandbox = Sandbox.create(as);
        KapRun kap = new KapRun(as, sandbox);
        Process process = kap.start("sh", "-c", "echo ready; sleep 60");
        Path records = sandbox.kapHome().resolve("capsules");
        assertThat("capsule running", Eventually.within(Duration.ofSeconds(60), () -> {
            try {
                return kap.stdout().contains("ready") && Files.list(records).count() == 1;
            } catch (IOException e) {
                return false;
            }
        }), notNullValue());
        return new Running(kap, process, new ShellClient(as, sandbox, ShellClient.onlyCapsule(sandbox)));
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void runsInsideTheCapsuleConfinedExactlyLikeItsCommand(As as) throws Exception {
        try (Running capsule = start(as)) {
            CapsuleShell.Result r = capsule.shell().run(SHORT, "sh", "-c", "readlink /proc/self/ns/net; "
                    + "echo \"$HTTPS_PROXY $KAP_CAPSULE\"; pwd; grep -E '^(Seccomp|NoNewPrivs|CapEff|CapBnd):' "
                    + "/proc/self/status; echo oops >&2; exit 3");
            assertThat(r.stderr(), r.exitCode(), is(3));
            assertThat(r.stderr(), is("oops\n"));
            String[] lines = r.stdout().split("\n");
            assertThat(lines[0], is(not(Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString())));
            assertThat(lines[1], is(Planner.PROXY + " " + ShellClient.onlyCapsule(capsule.kap().sandbox()).id()));
            assertThat(lines[2], is(capsule.kap().sandbox().work().toString()));
            assertThat(r.stdout(), containsString("CapEff:\t0000000000000000"));
            assertThat(r.stdout(), containsString("CapBnd:\t0000000000000000"));
            assertThat(r.stdout(), containsString("NoNewPrivs:\t1"));
            assertThat(r.stdout(), containsString("Seccomp:\t2"));
            // the same system-call filter as the command: no Unix sockets, not even the way in it came by
            String execSocket = ShellClient.onlyCapsule(capsule.kap().sandbox()).details().get("runtime_dir")
                    + "/" + ExecServer.SOCKET;
            CapsuleShell.Result unix = capsule.shell().run(SHORT, "socat", "-u", "/dev/null",
                    "UNIX-CONNECT:" + execSocket);
            assertThat(unix.stderr(), unix.exitCode(), is(not(0)));
            assertThat(unix.stderr(), containsString("Operation not permitted"));
        }
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void killsACommandAtItsTimeoutAndSaysSo(As as) throws Exception {
        try (Running capsule = start(as)) {
            long t0 = System.nanoTime();
            CompletableFuture<IOException> call = CompletableFuture.supplyAsync(() -> assertThrows(
                    IOException.class, () -> capsule.shell().run(Duration.ofSeconds(5), "sh", "-c", "exec sleep 617")));
            assertThat("sleep running", Eventually.within(Duration.ofSeconds(30),
                    () -> Leftovers.named("sleep 617") > 0), notNullValue());
            IOException e = call.get(30, TimeUnit.SECONDS);
            assertThat(e.getMessage(), containsString("did not finish within 5000 ms and was killed"));
            // the other JVM, as the unprivileged user, takes a few seconds to start
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0), is(lessThan(25L)));
            assertThat(Leftovers.named("sleep 617"), is(-1L));
        }
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void leavesWhatItStartedInTheBackgroundRunningInTheCapsule(As as) throws Exception {
        try (Running capsule = start(as)) {
            CapsuleShell.Result started = capsule.shell().run(SHORT, "sh", "-c",
                    "nohup sleep 618 > /dev/null 2>&1 < /dev/null & echo $!");
            assertThat(started.stderr(), started.exitCode(), is(0));
            String pid = started.stdout().trim();
            CapsuleShell.Result alive = capsule.shell().run(SHORT, "kill", "-0", pid);
            assertThat(alive.stderr(), alive.exitCode(), is(0));
            assertThat(Leftovers.named("sleep 618"), is(greaterThan(0L)));
        }
        // and it ends with the capsule
        assertThat(Eventually.within(Duration.ofSeconds(10), () -> Leftovers.named("sleep 618") < 0),
                notNullValue());
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void cutsOutputBeyondTheCapInsteadOfFailing(As as) throws Exception {
        try (Running capsule = start(as)) {
            CapsuleShell.Result r = capsule.shell().run(SHORT, "sh", "-c",
                    "head -c 5000000 /dev/zero | tr '\\0' a; echo fine >&2");
            assertThat(r.exitCode(), is(0));
            assertThat(r.stdout().length(), is(ExecResult.MAX_OUTPUT));
            assertThat(r.stdout().chars().allMatch(c -> c == 'a'), is(true));
            assertThat(r.stderr(), is("fine\nkap: stdout cut at " + ExecResult.MAX_OUTPUT + " of 5000000 bytes\n"));
        }
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void failsClearlyWhenTheCapsuleEndsDuringACommandOrBeforeIt(As as) throws Exception {
        Running capsule = start(as);
        CompletableFuture<String> during = CompletableFuture.supplyAsync(() -> {
            try {
                return "ran: " + capsule.shell().run(SHORT, "sh", "-c", "exec sleep 619");
            } catch (IOException | InterruptedException e) {
                return e.getMessage();
            }
        });
        // the command itself, not the client (as the unprivileged user, another JVM) whose arguments name it too
        assertThat("command running", Eventually.within(Duration.ofSeconds(30),
                () -> Leftovers.named("sleep 619") > 0), notNullValue());
        capsule.close();
        assertThat(during.get(30, TimeUnit.SECONDS), containsString("ended before the command finished"));
        IOException after = assertThrows(IOException.class, () -> capsule.shell().run(SHORT, "true"));
        assertThat(after.getMessage(), containsString("has ended"));
    }
}
