package kap.egress.internal;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The relay on its own, between two socket pairs: client side ({@code c.left} is the client, {@code c.right} the
 * proxy's end) and upstream side ({@code u.left} the proxy's end, {@code u.right} the upstream).
 */
@Timeout(30)
class RelayTest {

    @Test
    void copiesBothWaysAndPropagatesHalfClose() throws Exception {
        try (SocketPair c = SocketPair.open(); SocketPair u = SocketPair.open()) {
            BufferPool pool = new BufferPool();
            Relay relay = new Relay(c.right(), u.left(), pool);
            Thread down = relay.startDown();
            Thread up = Thread.ofVirtual().start(() -> relay.runUp("hi".getBytes(StandardCharsets.US_ASCII), 2));
            u.right().write("welcome".getBytes(StandardCharsets.US_ASCII));
            c.left().write(" there".getBytes(StandardCharsets.US_ASCII));
            c.left().shutdownOutput();
            assertThat(readToEnd(u.right()), is("hi there"));
            u.right().shutdownOutput();
            assertThat(readToEnd(c.left()), is("welcome"));
            up.join();
            down.join();
            assertThat(relay.bytesUp(), is(8L));
            assertThat(relay.bytesDown(), is(7L));
        }
    }

    @Test
    void bulkBufferIsBorrowedWhileBusyAndReturnedAfter() throws Exception {
        try (SocketPair c = SocketPair.open(); SocketPair u = SocketPair.open()) {
            BufferPool pool = new BufferPool();
            Relay relay = new Relay(c.right(), u.left(), pool);
            Thread down = relay.startDown();
            byte[] block = new byte[64 * 1024];
            Arrays.fill(block, (byte) 7);
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 64; i++) {
                        u.right().write(block);
                    }
                    u.right().shutdownOutput();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            long received = 0;
            byte[] buf = new byte[65536];
            for (int n; (n = c.left().read(buf, 0, buf.length, 5000)) >= 0; ) {
                received += n;
            }
            writer.join();
            down.join();
            assertThat(received, is(64L * block.length));
            assertThat(pool.pooled(), is(1));
        }
    }

    @Test
    void abortClosesBothSides() throws Exception {
        try (SocketPair c = SocketPair.open(); SocketPair u = SocketPair.open()) {
            Relay relay = new Relay(c.right(), u.left(), new BufferPool());
            Thread down = relay.startDown();
            relay.abort();
            down.join();
            assertThat(c.left().read(new byte[1], 0, 1, 5000), is(-1));
            assertThat(u.right().read(new byte[1], 0, 1, 5000), is(-1));
        }
    }

    private static String readToEnd(Conn conn) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1024];
        for (int n; (n = conn.read(buf, 0, buf.length, 5000)) >= 0; ) {
            out.write(buf, 0, n);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
