package kap.runtime.namespace;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Datagrams over a stream: sizes from 0 to 65,535 bytes arrive whole, a clean end is not an error, a cut frame is.
 */
@Timeout(30)
class DatagramFramesTest {

    @TempDir
    Path dir;

    @Test
    void framesArriveWholeAtEverySize() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(dir.resolve("d.sock")));
            try (SocketChannel a = SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve("d.sock")));
                 SocketChannel b = server.accept()) {
                Random random = new Random(1);
                for (int size : new int[] {0, 1, 512, 4096, DatagramFrames.MAX_DATAGRAM}) {
                    byte[] bytes = new byte[size];
                    random.nextBytes(bytes);
                    Thread writer = Thread.ofVirtual().start(() -> {
                        try {
                            DatagramFrames.write(a, ByteBuffer.wrap(bytes));
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    ByteBuffer got = DatagramFrames.read(b);
                    writer.join();
                    assertThat(got.remaining(), is(size));
                    assertThat(got.equals(ByteBuffer.wrap(bytes)), is(true));
                }
                assertThrows(IOException.class, () -> DatagramFrames.write(a,
                        ByteBuffer.allocate(DatagramFrames.MAX_DATAGRAM + 1)));
                a.write(ByteBuffer.wrap(new byte[] {0, 10, 1, 2}));
                a.shutdownOutput();
                assertThrows(EOFException.class, () -> DatagramFrames.read(b));
                assertThat(DatagramFrames.read(b), is(nullValue()));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
