package kap.clix;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import kap.policy.AuditEvent;
import kap.testing.Eventually;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Proxy mode end to end: real shim processes, started from the scripts the sidecar wrote, in an environment with
 * nothing but {@code KAP_CLIX} and {@code PATH}, running test tools on the sidecar side.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyModeTest {

    static final String SECRET = "s3cr3t-token-value-0123456789";

    @TempDir
    static Path dir;

    static ClixFixture clix;

    @BeforeAll
    static void start() throws Exception {
        clix = new ClixFixture(dir, """
                [cli]
                listen = "127.0.0.1:0"
                [[cli.tools]]
                name = "ticker"
                allow = ["*"]
                [[cli.tools]]
                name = "exiter"
                allow = ["*"]
                [[cli.tools]]
                name = "selfkill"
                allow = ["*"]
                [[cli.tools]]
                name = "upper"
                allow = ["*"]
                [[cli.tools]]
                name = "wc"
                allow = ["*"]
                [[cli.tools]]
                name = "echoargs"
                allow = ["*"]
                deny = ["secret *"]
                [[cli.tools]]
                name = "env"
                allow = ["*"]
                env = ["SECRET_TOKEN", "UNSET_VAR"]
                [[cli.tools]]
                name = "leak"
                allow = ["*"]
                env = ["SECRET_TOKEN"]
                [[cli.tools]]
                name = "pwd"
                allow = ["*"]
                [[cli.tools]]
                name = "slowtree"
                allow = ["*"]
                timeout = "1s"
                [[cli.tools]]
                name = "yes"
                allow = ["*"]
                max_output_bytes = 100000
                [[cli.tools]]
                name = "pidsleep"
                allow = ["*"]
                [[cli.tools]]
                name = "flood"
                allow = ["*"]
                timeout = "1s"
                """);
        clix.tool("ticker", "for i in 1 2 3; do echo \"tick $i\"; sleep 1; done");
        clix.tool("exiter", "exit \"$1\"");
        clix.tool("selfkill", "kill -TERM $$");
        clix.tool("upper", "tr a-z A-Z");
        clix.tool("echoargs", "printf '[%s]\\n' \"$@\"");
        clix.tool("leak", "printf 'token=%s' \"$(printf '%s' \"$SECRET_TOKEN\" | cut -c1-10)\"; sleep 0.3;"
                + " printf '%s\\n' \"$(printf '%s' \"$SECRET_TOKEN\" | cut -c11-)\"");
        clix.tool("slowtree", "sleep 300 &\necho $!\nwait");
        clix.tool("pidsleep", "echo $$\nexec sleep 300");
        clix.tool("flood", "exec yes kap-flood");
        Files.writeString(clix.envFile, "# secrets for the tools\nSECRET_TOKEN=" + SECRET + "\n");
    }

    @AfterAll
    static void stop() throws Exception {
        clix.close();
    }

    @Test
    void streamsTheFirstLineBeforeTheCommandEnds() throws Exception {
        Process p = clix.start("ticker", List.of(), clix.workspace, Map.of());
        p.getOutputStream().close();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine(), is("tick 1"));
        assertThat("the shim is still running when the first line arrives", p.isAlive(), is(true));
        assertThat(out.readLine(), is("tick 2"));
        assertThat(p.waitFor(10, TimeUnit.SECONDS), is(true));
        assertThat(p.exitValue(), is(0));
    }

    @Test
    void pipesStandardInputToTheTool() throws Exception {
        ClixFixture.Run r = clix.shim("upper", List.of(), clix.workspace, "hello kap\n", Map.of());
        assertThat(r.err(), r.exit(), is(0));
        assertThat(r.out(), is("HELLO KAP\n"));
    }

    @Test
    void streamsAMegabyteOfInput() throws Exception {
        ClixFixture.Run r = clix.shim("wc", List.of("-c"), clix.workspace, "x".repeat(1024 * 1024), Map.of());
        assertThat(r.err(), r.exit(), is(0));
        assertThat(r.out().strip(), is("1048576"));
    }

    @ParameterizedTest(name = "exit {0}")
    @ValueSource(ints = {0, 3, 130, 255})
    void exitCodesArriveExactly(int code) throws Exception {
        ClixFixture.Run r = clix.shim("exiter", List.of(String.valueOf(code)));
        assertThat(r.err(), r.exit(), is(code));
        assertThat(r.err(), is(""));
        assertThat(clix.lastEvent().detail().get("exit_code"), is(code));
    }

    @Test
    void aToolKilledBySignalExitsWith128PlusTheSignal() throws Exception {
        ClixFixture.Run r = clix.shim("selfkill", List.of());
        assertThat(r.exit(), is(128 + 15));
    }

    @Test
    void shellMetacharactersStayLiteral() throws Exception {
        List<String> args = List.of("$(id)", "; rm -rf /", "`whoami`", "a b", "*", "'\"", "$HOME", "", "|cat",
                "é✓ ünïcode");
        ClixFixture.Run r = clix.shim("echoargs", args);
        assertThat(r.err(), r.exit(), is(0));
        StringBuilder expected = new StringBuilder();
        args.forEach(a -> expected.append('[').append(a).append("]\n"));
        assertThat(r.out(), is(expected.toString()));
        assertThat(clix.lastEvent().subject(), is("echoargs '$(id)' '; rm -rf /' '`whoami`' 'a b' '*' ''\\''\"'"
                + " '$HOME' '' '|cat' 'é✓ ünïcode'"));
    }

    @Test
    void aSecretThePrintsIsRedactedEvenAcrossChunks() throws Exception {
        ClixFixture.Run r = clix.shim("leak", List.of());
        assertThat(r.err(), r.exit(), is(0));
        assertThat(r.out(), is("token=[REDACTED:SECRET_TOKEN]\n"));
        assertThat(r.out(), not(containsString(SECRET.substring(0, 10))));
        assertThat(clix.lastEvent().detail().get("redacted"), is(1));
    }

    @Test
    void nothingTheAgentSetsReachesTheTool() throws Exception {
        ClixFixture.Run r = clix.shim("env", List.of(), clix.workspace, "", Map.of("GH_HOST", "evil.example",
                "AWS_ENDPOINT_URL", "http://evil.example", "SECRET_TOKEN", "agent-chosen", "LD_PRELOAD", "/x.so"));
        assertThat(r.err(), r.exit(), is(0));
        Set<String> names = new TreeSet<>();
        for (String line : r.out().split("\n")) {
            names.add(line.substring(0, line.indexOf('=')));
        }
        assertThat(names, is(new TreeSet<>(Set.of("PATH", "HOME", "LANG", "NO_COLOR", "PAGER", "SECRET_TOKEN"))));
        assertThat(r.out(), containsString("SECRET_TOKEN=[REDACTED:SECRET_TOKEN]"));
        assertThat(r.out(), not(containsString("agent-chosen")));
    }

    @Test
    void runsInTheMatchingWorkspaceDirectory() throws Exception {
        Path sub = Files.createDirectories(clix.workspace.resolve("sub/dir"));
        ClixFixture.Run r = clix.shim("pwd", List.of(), sub, "", Map.of());
        assertThat(r.err(), r.exit(), is(0));
        assertThat(r.out().strip(), is(sub.toRealPath().toString()));
    }

    @Test
    void aWorkingDirectoryOutsideTheWorkspaceIsRefused() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        ClixFixture.Run r = clix.shim("pwd", List.of(), outside, "", Map.of());
        assertThat(r.exit(), is(125));
        assertThat(r.err(), containsString("is outside the workspace"));
        assertThat(r.out(), is(""));
        AuditEvent e = clix.lastEvent();
        assertThat(e.verdict(), is(AuditEvent.Outcome.DENY));
        assertThat(e.reason(), is(ClixException.CWD_REFUSED));
    }

    @Test
    void aSymbolicLinkOutOfTheWorkspaceIsRefused() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("secrets"));
        Path link = clix.workspace.resolve("innocent");
        if (!Files.exists(link)) {
            Files.createSymbolicLink(link, outside);
        }
        // a real shim sends the physical directory (getcwd), which is outside
        ClixFixture.Run r = clix.shim("pwd", List.of(), link, "", Map.of());
        assertThat(r.exit(), is(125));
        assertThat(r.err(), containsString("is outside the workspace"));
        // a client that sends the link's own path is caught by the real-path check
        RawClient.Reply raw = RawClient.send(clix.address(), RawClient.head("pwd", link.toString(), List.of()));
        assertThat(raw.exit(), is(125));
        assertThat(raw.err(), containsString("through a symbolic link"));
        assertThat(raw.out(), is(""));
        assertThat(clix.lastEvent().reason(), is(ClixException.CWD_REFUSED));
    }

    @Test
    void aWorkingDirectoryWithDotDotIsRefused() throws Exception {
        String cwd = clix.workspace + "/../" + clix.workspace.getFileName();
        RawClient.Reply raw = RawClient.send(clix.address(), RawClient.head("pwd", cwd, List.of()));
        assertThat(raw.exit(), is(125));
        assertThat(raw.err(), containsString("contains '..'"));
        assertThat(clix.lastEvent().reason(), is(ClixException.CWD_REFUSED));
    }

    @Test
    void aOneMegabyteArgumentIsRefusedCleanlyAndTheListenerGoesOn() throws Exception {
        RawClient.Reply raw = RawClient.send(clix.address(), RawClient.head("echoargs", clix.workspace.toString(),
                List.of("a".repeat(1024 * 1024))));
        assertThat(raw.exit(), is(125));
        assertThat(raw.err(), containsString("the request is too large"));
        assertThat(raw.err(), containsString("(MAX_HEAD_BYTES)"));
        AuditEvent e = clix.lastEvent();
        assertThat(e.reason(), is(ClixException.INVALID_REQUEST));
        assertThat(e.verdict(), is(AuditEvent.Outcome.DENY));
        ClixFixture.Run next = clix.shim("echoargs", List.of("still", "serving"));
        assertThat(next.out(), is("[still]\n[serving]\n"));
    }

    @Test
    void aTimeoutKillsTheWholeProcessTree() throws Exception {
        ClixFixture.Run r = clix.shim("slowtree", List.of());
        assertThat(r.exit(), is(124));
        assertThat(r.err(), containsString("longer than its timeout of 1 s"));
        long child = Long.parseLong(r.out().strip());
        assertThat("the background child is killed too", Eventually.within(Duration.ofSeconds(5),
                () -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true)), notNullValue());
        assertThat(clix.lastEvent().detail().get("stopped"), is("timeout"));
    }

    @Test
    void theOutputLimitStopsTheTool() throws Exception {
        ClixFixture.Run r = clix.shim("yes", List.of());
        assertThat(r.exit(), is(125));
        assertThat(r.out().length(), lessThanOrEqualTo(100_000));
        assertThat(r.err(), containsString("more than its output limit of 100000 bytes"));
        assertThat(clix.lastEvent().detail().get("stopped"), is("output_limit"));
    }

    @Test
    void interruptingTheShimStopsTheTool() throws Exception {
        Process p = clix.start("pidsleep", List.of(), clix.workspace, Map.of());
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long tool = Long.parseLong(out.readLine().strip());
        new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor();
        assertThat(p.waitFor(10, TimeUnit.SECONDS), is(true));
        assertThat(p.exitValue(), is(130));
        assertThat("the tool on the sidecar is stopped", Eventually.within(Duration.ofSeconds(5),
                () -> ProcessHandle.of(tool).map(h -> !h.isAlive()).orElse(true)), notNullValue());
        assertThat(Eventually.within(Duration.ofSeconds(5), () -> lastStopped().equals(Optional.of("disconnected"))),
                notNullValue());
    }

    @Test
    void aShimThatStopsReadingCannotHoldTheSidecar() throws Exception {
        try (java.net.Socket stuck = new java.net.Socket("127.0.0.1", Integer.parseInt(clix.address().split(":")[1]))) {
            byte[] head = RawClient.head("flood", clix.workspace.toString(), List.of());
            kap.shim.FrameWriter writer = new kap.shim.FrameWriter(stuck.getOutputStream());
            writer.write(kap.shim.Wire.HEAD, head);
            writer.signal(kap.shim.Wire.STDIN_CLOSE);
            // never read: the sidecar's writes block once the socket buffers are full
            assertThat(Eventually.within(Duration.ofSeconds(20), () -> lastSubjectIs("flood")), notNullValue());
            assertThat(clix.lastEvent().detail().get("stopped"), is("disconnected"));
        }
        assertThat(clix.shim("echoargs", List.of("after")).out(), is("[after]\n"));
    }

    @Test
    void aHeadTrickledByteByByteIsCutOffAtTheHeadDeadline() throws Exception {
        try (java.net.Socket slow = new java.net.Socket("127.0.0.1", Integer.parseInt(clix.address().split(":")[1]))) {
            byte[] head = RawClient.head("echoargs", clix.workspace.toString(), List.of("x"));
            java.io.OutputStream out = slow.getOutputStream();
            out.write(new byte[] {kap.shim.Wire.HEAD, 0, 0, (byte) (head.length >>> 8), (byte) head.length});
            long start = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < head.length && !closed; i++) {
                try {
                    out.write(head[i]);
                    out.flush();
                    slow.setSoTimeout(1000);
                    closed = slow.getInputStream().read() < 0;
                } catch (java.net.SocketTimeoutException e) {
                    // still open; send the next byte
                } catch (java.io.IOException e) {
                    closed = true;
                }
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertThat("closed before the head was complete", closed, is(true));
            assertThat(seconds, lessThanOrEqualTo(Session.HEAD_TIMEOUT.toSeconds() + 3));
        }
    }

    private static boolean lastSubjectIs(String subject) {
        try {
            return clix.lastEvent().subject().equals(subject);
        } catch (Exception | AssertionError e) {
            return false;
        }
    }

    @Test
    void aDeniedCommandSaysWhatWhyAndHowToAllowIt() throws Exception {
        ClixFixture.Run r = clix.shim("echoargs", List.of("secret", "stuff"));
        assertThat(r.exit(), is(126));
        assertThat(r.out(), is(""));
        assertThat(r.err(), containsString("kap: `echoargs secret stuff` was denied by kap's CLI policy: denied by"
                + " rule \"secret *\" (" + clix.config + ":"));
        assertThat(r.err(), containsString("fails too"));
        assertThat(r.err(), containsString("removes that pattern from deny"));
        assertThat(r.err(), containsString("phone"));
        AuditEvent e = clix.lastEvent();
        assertThat(e.verdict(), is(AuditEvent.Outcome.DENY));
        assertThat(e.rule(), is(Optional.of("secret *")));
        assertThat(e.subject(), is("echoargs secret stuff"));
        assertThat(e.client(), is(Optional.of("127.0.0.1")));
    }

    @Test
    void aDenialArrivesWhileTheShimIsStillSendingInput() throws Exception {
        for (int i = 0; i < 5; i++) {
            ClixFixture.Run r = clix.shim("echoargs", List.of("secret", "x"), clix.workspace,
                    "y".repeat(4 * 1024 * 1024), Map.of());
            assertThat(r.exit(), is(126));
            assertThat(r.err(), containsString("was denied"));
        }
    }

    @Test
    void anUnconfiguredToolIsDenied() throws Exception {
        Files.copy(clix.shims.resolve("ticker"), clix.shims.resolve("nosuchtool"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ClixFixture.Run r = clix.shim("nosuchtool", List.of("x"));
        assertThat(r.exit(), is(126));
        assertThat(r.err(), containsString("No tool named nosuchtool is configured"));
        assertThat(clix.lastEvent().reason(), is("not configured"));
    }

    @Test
    void withoutKapClixTheShimExplains() throws Exception {
        ClixFixture.Run r = clix.shim("ticker", List.of(), clix.workspace, "", Map.of("KAP_CLIX", ""));
        assertThat(r.exit(), is(125));
        assertThat(r.err(), containsString("KAP_CLIX is not set"));
    }

    private static Optional<Object> lastStopped() {
        try {
            return Optional.ofNullable(clix.lastEvent().detail().get("stopped"));
        } catch (Exception | AssertionError e) {
            return Optional.empty();
        }
    }

    static List<String> lines(String s) {
        return Arrays.asList(s.split("\n"));
    }
}
