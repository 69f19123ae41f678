package kap.runtime.namespace;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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
                new Started(17), new Signal(15), new Exit(130), new Failed(127, "nope: command not found"));
        for (ControlMessage m : messages) {
            host.send(m);
            assertThat(bridge.receive(), is(Optional.of(m)));
        }
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
}
