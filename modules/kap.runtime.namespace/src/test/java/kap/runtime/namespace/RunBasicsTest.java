package kap.runtime.namespace;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Random;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import kap.runtime.namespace.KapRun.As;
import kap.runtime.namespace.KapRun.Result;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code kap run} as a real process, as root and as an unprivileged user: exit codes, standard streams, identity,
 * privileges, and the working directory.
 */
@Timeout(120)
class RunBasicsTest {

    private static KapRun kap(As as) throws Exception {
        assumeTrue(as == As.USER || Sandbox.root(), "root tests need root");
        return new KapRun(as, Sandbox.create(as));
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void exitsWithTheCommandsExitCode(As as) throws Exception {
        Result r = kap(as).run("sh", "-c", "echo out; echo err >&2; exit 42");
        assertThat(r.stderr(), r.exit(), is(42));
        assertThat(r.stdout(), is("out\n"));
        assertThat(r.stderr(), containsString("err\n"));
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void exitsWith128PlusTheSignalThatKilledTheCommand(As as) throws Exception {
        assertThat(kap(as).run("sh", "-c", "kill -KILL $$").exit(), is(137));
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void pipesStandardInputThroughByteForByte(As as) throws Exception {
        byte[] input = new byte[256 * 1024];
        new Random(7).nextBytes(input);
        KapRun kap = kap(as);
        Result r = kap.run(input, "sh", "-c", "sha256sum | cut -d' ' -f1");
        assertThat(r.stderr(), r.exit(), is(0));
        String expected = java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(input));
        assertThat(r.stdout().trim(), is(expected));
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void runsAsTheInvokingUserWithNoPrivilegesAtAll(As as) throws Exception {
        KapRun kap = kap(as);
        long uid = as == As.ROOT ? 0 : Sandbox.root() ? uidOf(TestUser.NAME) : currentUid();
        Result r = kap.run("sh", "-c", "id -u; grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):'"
                + " /proc/self/status");
        assertThat(r.stderr(), r.exit(), is(0));
        assertThat(r.stdout(), containsString(uid + "\n"));
        for (String cap : new String[] {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"}) {
            assertThat(r.stdout(), containsString(cap + ":\t0000000000000000"));
        }
        assertThat(r.stdout(), containsString("NoNewPrivs:\t1"));
        assertThat(r.stdout(), containsString("Seccomp:\t2"));
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void runsInTheWorkingDirectoryAsPid2OfItsOwnPidNamespace(As as) throws Exception {
        KapRun kap = kap(as);
        Result r = kap.run("sh", "-c", "pwd; echo $$; ls /proc | grep -c '^[0-9]'");
        assertThat(r.stderr(), r.exit(), is(0));
        String[] lines = r.stdout().split("\n");
        assertThat(lines[0], containsString("/work"));
        // the bridge is PID 1; the shell and the few processes it started are all the capsule has
        assertThat(Integer.parseInt(lines[2].trim()) <= 4, is(true));
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void reportsACommandThatDoesNotExistWith127AndOneThatCannotRunWith126(As as) throws Exception {
        KapRun kap = kap(as);
        Result missing = kap.run("no-such-command-kap");
        assertThat(missing.exit(), is(127));
        assertThat(missing.stderr(), containsString("no-such-command-kap: command not found"));
        Result directory = kap.run("/tmp");
        assertThat(directory.exit(), is(126));
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void passesNonAsciiArgumentsIntact(As as) throws Exception {
        Result r = kap(as).run("printf", "%s", "héllo wörld ✓");
        assertThat(r.stderr(), r.exit(), is(0));
        assertThat(r.stdout(), is("héllo wörld ✓"));
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void twoCapsulesRunSideBySideEachWithItsOwnPorts(As as) throws Exception {
        KapRun first = kap(as);
        KapRun second = kap(as);
        // both listen on 127.0.0.1:53 and :3128, each in its own network namespace
        String command = "sleep 1; getent hosts localhost >/dev/null; cat /proc/net/tcp | grep -c ':0C38 '; "
                + "echo $KAP_CAPSULE";
        Process a = first.start("sh", "-c", command + "; exit 3");
        Process b = second.start("sh", "-c", command + "; exit 4");
        Result ra = first.finish(a, java.time.Duration.ofSeconds(60));
        Result rb = second.finish(b, java.time.Duration.ofSeconds(60));
        assertThat(ra.stderr(), ra.exit(), is(3));
        assertThat(rb.stderr(), rb.exit(), is(4));
        assertThat(ra.stdout().split("\n")[0], is("1"));
        assertThat(ra.stdout().split("\n")[1].equals(rb.stdout().split("\n")[1]), is(false));
    }

    static long currentUid() throws Exception {
        return ((Number) Files.getAttribute(java.nio.file.Path.of("/proc/self"), "unix:uid")).longValue();
    }

    static long uidOf(String user) throws Exception {
        Process p = new ProcessBuilder("id", "-u", user).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        return Long.parseLong(out);
    }
}
