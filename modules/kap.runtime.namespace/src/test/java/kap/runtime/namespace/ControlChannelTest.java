package kap.runtime.namespace;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import kap.runtime.namespace.ControlMessage.Exec;
import kap.runtime.namespace.ControlMessage.ExecResult;
import kap.runtime.namespace.ControlMessage.Exit;
import kap.runtime.namespace.ControlMessage.Failed;
import kap.runtime.namespace.ControlMessage.Plan;
import kap.runtime.namespace.ControlMessage.Signal;
import kap.runtime.namespace.ControlMessage.Started;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The control protocol over a real Unix socket pair: every message survives the trip, and a malformed frame is an
 * error, never an allocation the peer chose.
 */
@Timeout(30)
class ControlChannelTest {

    @TempDir
    Path dir;

    private ServerSocketChannel server;
    private SocketChannel raw;
    private ControlChannel host;
    private ControlChannel bridge;

    @BeforeEach
    void connect() throws IOException {
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(dir.resolve("c.sock")));
        raw = SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve("c.sock")));
        bridge = new ControlChannel(raw);
        host = new ControlChannel(server.accept());
    }

    @AfterEach
    void close() throws IOException {
        host.close();
        bridge.close();
        server.close();
    }

    @Test
    void everyMessageArrivesAsItWasSent() throws IOException {
        MountPlan mounts = new MountPlan(List.of(Path.of("/home/u/.kap")), List.of(Path.of("/w/kap.toml")),
                Path.of("/run/user/1/kap/ns-1"), Path.of("/run/user/1/kap/ns-1/resolv.conf"),
                Optional.of(Path.of("/etc/resolv.conf")));
        List<ControlMessage> messages = List.of(
                new Plan("ns-1", Path.of("/w"), List.of("sh", "-c", "echo héllo"), List.of("A=1", "B=x=y"), mounts,
                        true, EnumSet.of(Service.EGRESS, Service.DNS)),
                new Plan("ns-2", Path.of("/"), List.of("true"), List.of(), new MountPlan(List.of(), List.of(),
                        Path.of("/r"), Path.of("/r/resolv.conf"), Optional.empty()), false, EnumSet.noneOf(Service.class)),
                new Started(17), new Signal(15), new Exit(130), new Failed(127, "nope: command not found"),
                new Exec(3, List.of("sh", "-c", "echo \"$1\"", "-", "héllo wörld"), 15_000),
                new ExecResult(3, 0, false, "héllo\n".getBytes(StandardCharsets.UTF_8), new byte[0]));
        for (ControlMessage m : messages) {
            host.send(m);
            assertThat(bridge.receive(), is(Optional.of(m)));
        }
    }

    @Test
    void aResultWithBothStreamsFullAndNotesFitsInOneFrame() throws Exception {
        byte[] full = new byte[ExecResult.MAX_OUTPUT];
        java.util.Arrays.fill(full, (byte) 'a');
        ExecResult big = new ExecResult(4, 137, true, full, new byte[ExecResult.MAX_OUTPUT + ExecResult.MAX_NOTES]);
        // larger than the socket's buffer: the other end must read while this one writes
        var sent = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                bridge.send(big);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(host.receive(), is(Optional.of(big)));
        sent.get();
    }

    @Test
    void theEndOfTheStreamIsEmpty() throws IOException {
        host.close();
        assertThat(bridge.receive(), is(Optional.empty()));
    }

    @Test
    void refusesAFrameLargerThanTheLimitBeforeReadingIt() throws IOException {
        raw.write(ByteBuffer.allocate(5).put((byte) 'X').putInt(ControlChannel.MAX_FRAME + 1).flip());
        IOException e = assertThrows(IOException.class, host::receive);
        assertThat(e.getMessage(), containsString("control frame of"));
    }

    @Test
    void refusesUnknownTypesTrailingBytesAndLyingCounts() throws IOException {
        raw.write(ByteBuffer.allocate(5).put((byte) 'Q').putInt(0).flip());
        assertThat(assertThrows(IOException.class, host::receive).getMessage(), containsString("unknown"));
        raw.write(ByteBuffer.allocate(13).put((byte) 'X').putInt(8).putInt(1).putInt(2).flip());
        assertThat(assertThrows(IOException.class, host::receive).getMessage(), containsString("trailing"));
        raw.write(ByteBuffer.allocate(13).put((byte) 'F').putInt(8).putInt(1).putInt(1_000_000).flip());
        assertThat(assertThrows(IOException.class, host::receive).getMessage(), containsString("bad string length"));
    }

    @Test
    void anExecBeyondItsLimitsCannotBeMadeNorSent() {
        assertThat(assertThrows(IllegalArgumentException.class, () -> new Exec(1, List.of(), 1000)).getMessage(),
                containsString("1 to 1024 arguments"));
        assertThrows(IllegalArgumentException.class, () -> new Exec(1, Collections.nCopies(1025, "x"), 1000));
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> new Exec(1, List.of("x".repeat(Exec.MAX_ARGV_BYTES)), 1000)).getMessage(),
                containsString("at most " + Exec.MAX_ARGV_BYTES));
        assertThat(assertThrows(IllegalArgumentException.class, () -> new Exec(1, List.of("a\0b"), 1000))
                .getMessage(), containsString("NUL"));
        assertThrows(IllegalArgumentException.class, () -> new Exec(1, List.of("true"), 0));
        assertThrows(IllegalArgumentException.class,
                () -> new Exec(1, List.of("true"), Exec.MAX_TIMEOUT.toMillis() + 1));
        assertThrows(IllegalArgumentException.class,
                () -> new ExecResult(1, 0, false, new byte[ExecResult.MAX_OUTPUT + 1], new byte[0]));
    }

    @Test
    void refusesAWellFormedExecFrameWithValuesBeyondTheLimits() throws IOException {
        // id 1, no arguments, timeout 1000
        raw.write(ByteBuffer.allocate(21).put((byte) 'E').putInt(16).putInt(1).putInt(0).putLong(1000).flip());
        assertThat(assertThrows(IOException.class, host::receive).getMessage(),
                containsString("bad control frame E: a command takes 1 to"));
        // id 1, exit 0, not timed out, stdout claims more bytes than the frame holds
        raw.write(ByteBuffer.allocate(18).put((byte) 'R').putInt(13).putInt(1).putInt(0).put((byte) 0)
                .putInt(ExecResult.MAX_OUTPUT).flip());
        assertThat(assertThrows(IOException.class, host::receive).getMessage(), containsString("bad string length"));
    }
}
