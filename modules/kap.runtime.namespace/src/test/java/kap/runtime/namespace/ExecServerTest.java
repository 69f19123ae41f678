package kap.runtime.namespace;

import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import kap.cli.spi.Capsule;
import kap.cli.spi.CapsuleRegistry;
import kap.cli.spi.CapsuleShell;
import kap.cli.spi.RuntimeContext;
import kap.runtime.namespace.ControlMessage.Exec;
import kap.runtime.namespace.ControlMessage.ExecResult;
import kap.runtime.namespace.ControlMessage.Failed;
import kap.runtime.namespace.ControlMessage.Signal;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@code exec.sock} between a real client and a bridge played by the test over a real control connection: each
 * client gets its own answer however many wait at once, a client waiting when the capsule ends is told so, and
 * anything but one exec request is refused. The capsule itself is {@link CapsuleShellTest}'s.
 */
@Timeout(30)
class ExecServerTest {

    private static final String ID = "ns-0123abcd";

    @TempDir
    Path home;

    private Path dir;
    private ServerSocketChannel controlServer;
    private ControlChannel host;
    private ControlChannel bridge;
    private ExecServer server;

    @BeforeEach
    void open() throws IOException {
        dir = Files.createDirectories(home.resolve("run").resolve(ID));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        controlServer = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        controlServer.bind(UnixDomainSocketAddress.of(dir.resolve("control.sock")));
        bridge = new ControlChannel(SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve("control.sock"))));
        host = new ControlChannel(controlServer.accept());
        server = ExecServer.open(dir, host);
        // the host's follow(): the bridge's results go to the waiting clients
        Thread.ofVirtual().start(() -> {
            try {
                Optional<ControlMessage> m;
                while ((m = host.receive()).isPresent()) {
                    if (m.get() instanceof ExecResult r) {
                        server.complete(r);
                    }
                }
            } catch (IOException e) {
                // closed
            }
        });
    }

    @AfterEach
    void close() throws IOException {
        server.close();
        host.close();
        bridge.close();
        controlServer.close();
    }

    private CapsuleShell.Result run(String... argv) throws IOException {
        Capsule capsule = new Capsule(ID, NamespaceRuntimeProvider.NAME, "w", Path.of("/w"), Capsule.State.RUNNING,
                Optional.empty(), Optional.empty(), Instant.now(), Map.of("runtime_dir", dir.toString()));
        RuntimeContext context = new RuntimeContext(home, Map.of(), new PrintStream(PrintStream.nullOutputStream()),
                new CapsuleRegistry(home.resolve("capsules")));
        return ExecClient.run(capsule, context, List.of(argv), Duration.ofSeconds(5));
    }

    @Test
    void eachClientGetsItsOwnAnswerWhenSeveralWaitAtOnce() throws Exception {
        // the bridge answers out of order: the last request first
        Thread.ofVirtual().start(() -> {
            try {
                List<Exec> received = new ArrayList<>();
                while (received.size() < 8) {
                    received.add((Exec) bridge.receive().orElseThrow());
                }
                for (Exec e : received.reversed()) {
                    bridge.send(new ExecResult(e.id(), Integer.parseInt(e.argv().get(1)), false,
                            e.argv().get(1).getBytes(StandardCharsets.UTF_8), new byte[0]));
                }
            } catch (IOException e) {
                // the test fails on its own
            }
        });
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<CapsuleShell.Result>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String n = Integer.toString(i);
                results.add(threads.submit(() -> run("echo", n)));
            }
            for (int i = 0; i < 8; i++) {
                assertThat(results.get(i).get(), is(new CapsuleShell.Result(i, Integer.toString(i), "")));
            }
        }
    }

    @Test
    void aClientWaitingWhenTheCapsuleEndsIsToldSo() throws Exception {
        CompletableFuture<IOException> waiting = CompletableFuture.supplyAsync(
                () -> assertThrows(IOException.class, () -> run("sleep", "60")));
        assertThat(bridge.receive().orElseThrow() instanceof Exec, is(true));
        server.close();
        assertThat(waiting.get().getMessage(), containsString("the capsule ended before the command finished"));
        assertThat(Files.exists(dir.resolve(ExecServer.SOCKET)), is(false));
    }

    @Test
    void anythingButOneExecRequestIsRefused() throws IOException {
        try (ControlChannel client = new ControlChannel(SocketChannel.open(UnixDomainSocketAddress.of(
                dir.resolve(ExecServer.SOCKET))))) {
            client.send(new Signal(9));
            ControlMessage answer = client.receive().orElseThrow();
            assertThat(answer instanceof Failed f && f.message().contains("takes one exec request"), is(true));
        }
    }
}
