package kap.shim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * The SSH connect bridge, run as a real process: a real ssh session and a git clone over ssh reach a local sshd
 * through a CONNECT proxy (a test fixture standing in for kap.egress), bytes the server sends first survive, input
 * ends with a half-close while the answer still flows, binary data passes unchanged, and a refused CONNECT says why.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConnectBridgeTest {

    @TempDir
    Path dir;

    private static String bridgeCommand() {
        return String.join(" ", Processes.shimMain("kap.shim.ConnectBridge").stream().map(ShimScript::quote)
                .toList()) + " %h %p";
    }

    @Test
    void carriesARealSshSessionWithBinaryDataToALocalSshd() throws Exception {
        try (LocalSshd sshd = LocalSshd.start(dir);
             TestConnectProxy proxy = new TestConnectProxy(Set.of(sshd.port), false)) {
            byte[] data = new byte[256 * 1024];
            new Random(7).nextBytes(data);
            List<String> ssh = new ArrayList<>(List.of("ssh"));
            ssh.addAll(sshd.sshOptions(bridgeCommand()));
            ssh.add(System.getProperty("user.name") + "@127.0.0.1");
            ssh.add("echo hello-through-kap; sha256sum");
            Processes.Result r = Processes.run(ssh, Map.of("HTTPS_PROXY", proxy.url()), data, 60);
            assertThat(r.stderr(), r.exit(), is(0));
            assertThat(r.out(), containsString("hello-through-kap"));
            assertThat(r.out(), containsString(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(data))));
            assertThat(proxy.tunnels(), is(1));
        }
    }

    @Test
    void gitClonesOverSshThroughTheProxy() throws Exception {
        Path origin = dir.resolve("origin");
        Processes.run(List.of("git", "init", "-q", origin.toString()));
        Files.writeString(origin.resolve("README"), "cloned through kap\n");
        git(origin, "add", "README");
        git(origin, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "first");
        Path bare = dir.resolve("repo.git");
        Processes.run(List.of("git", "clone", "-q", "--bare", origin.toString(), bare.toString()));
        try (LocalSshd sshd = LocalSshd.start(dir);
             TestConnectProxy proxy = new TestConnectProxy(Set.of(sshd.port), false)) {
            String sshCommand = "ssh " + String.join(" ", sshd.sshOptions(bridgeCommand()).stream()
                    .map(ShimScript::quote).toList());
            Path clone = dir.resolve("clone");
            Processes.Result r = Processes.run(List.of("git", "clone", "-q", "ssh://" + System.getProperty("user.name")
                            + "@127.0.0.1:" + sshd.port + bare, clone.toString()),
                    Map.of("HTTPS_PROXY", proxy.url(), "GIT_SSH_COMMAND", sshCommand), new byte[0], 60);
            assertThat(r.stderr(), r.exit(), is(0));
            assertThat(Files.readString(clone.resolve("README")), is("cloned through kap\n"));
        }
    }

    @Test
    void keepsBytesTheServerSentWithTheProxysAnswer() throws Exception {
        try (TcpServer server = new TcpServer(in -> ("got " + new String(in, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8), "SSH-2.0-banner\r\n".getBytes(StandardCharsets.UTF_8));
             TestConnectProxy proxy = new TestConnectProxy(Set.of(server.port()), true)) {
            Processes.Result r = bridge(server.port(), proxy, "ping".getBytes(StandardCharsets.UTF_8));
            assertThat(r.stderr(), r.exit(), is(0));
            assertThat(r.out(), is("SSH-2.0-banner\r\ngot ping"));
        }
    }

    @Test
    void halfClosesAtTheEndOfInputAndStillReadsTheAnswerByteForByte() throws Exception {
        byte[] data = new byte[70_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        Function<byte[], byte[]> reverse = in -> {
            byte[] out = new byte[in.length];
            for (int i = 0; i < in.length; i++) {
                out[i] = in[in.length - 1 - i];
            }
            return out;
        };
        try (TcpServer server = new TcpServer(reverse, new byte[0]);
             TestConnectProxy proxy = new TestConnectProxy(Set.of(server.port()), false)) {
            Processes.Result r = bridge(server.port(), proxy, data);
            assertThat(r.stderr(), r.exit(), is(0));
            assertThat(r.stdout(), is(reverse.apply(data)));
        }
    }

    @Test
    void aRefusedConnectPrintsTheProxysStatusAndExplanation() throws Exception {
        try (TestConnectProxy proxy = new TestConnectProxy(Set.of(), false)) {
            Processes.Result r = bridge(9, proxy, new byte[0]);
            assertThat(r.exit(), is(ConnectBridge.EXIT_FAILED));
            assertThat(r.stderr(), containsString("refused CONNECT 127.0.0.1:9: HTTP/1.1 403 Forbidden"));
            assertThat(r.stderr(), containsString("test proxy: 127.0.0.1:9 is not allowed"));
        }
    }

    @Test
    void withoutAProxyVariableItSaysSo() throws Exception {
        List<String> command = new ArrayList<>(List.of("env", "-i", "PATH=/usr/bin:/bin"));
        command.addAll(Processes.shimMain("kap.shim.ConnectBridge"));
        command.addAll(List.of("github.com", "22"));
        Processes.Result r = Processes.run(command, Map.of(), new byte[0], 30);
        assertThat(r.exit(), is(ConnectBridge.EXIT_FAILED));
        assertThat(r.stderr(), containsString("HTTPS_PROXY is not set"));
    }

    private static Processes.Result bridge(int port, TestConnectProxy proxy, byte[] stdin) throws Exception {
        List<String> command = new ArrayList<>(Processes.shimMain("kap.shim.ConnectBridge"));
        command.addAll(List.of("127.0.0.1", String.valueOf(port)));
        return Processes.run(command, Map.of("HTTPS_PROXY", proxy.url()), stdin, 30);
    }

    private static void git(Path repo, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", repo.toString()));
        command.addAll(List.of(args));
        Processes.Result r = Processes.run(command);
        assertThat(r.stderr(), r.exit(), is(0));
    }

    /** A loopback server for one connection: sends a greeting, reads to EOF, answers, closes. */
    private static final class TcpServer implements AutoCloseable {
        private final ServerSocket socket;

        TcpServer(Function<byte[], byte[]> answer, byte[] greeting) throws IOException {
            socket = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                try (Socket s = socket.accept()) {
                    s.getOutputStream().write(greeting);
                    s.getOutputStream().flush();
                    ByteArrayOutputStream in = new ByteArrayOutputStream();
                    s.getInputStream().transferTo(in);
                    s.getOutputStream().write(answer.apply(in.toByteArray()));
                } catch (IOException e) {
                    // the test fails on the missing answer
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
