package kap.egress.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One TCP connection, client or upstream, in blocking mode on a virtual thread. Relays read and write the channel
 * with direct buffers; reads that need a deadline (request heads, the ClientHello) go through the socket adaptor,
 * whose timeout the channel itself lacks. Every read and write that moves bytes marks the connection active, which is
 * what the {@link Watchdog} checks for idle tunnels and stuck writes.
 */
final class Conn implements AutoCloseable {

    private final SocketChannel channel;
    private final InputStream timedInput;
    private final String peer;
    private volatile long lastActive = System.nanoTime();

    Conn(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(true);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        this.timedInput = channel.socket().getInputStream();
        InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
        this.peer = remote == null ? "-" : remote.getAddress().getHostAddress();
    }

    /** The remote IP address, for the audit log. */
    String peer() {
        return peer;
    }

    long lastActive() {
        return lastActive;
    }

    /**
     * Reads into the array, waiting at most the timeout.
     *
     * @param timeoutMillis 0 to wait without limit
     * @return bytes read, or -1 at end of stream
     * @throws SocketTimeoutException when the timeout passes with nothing read
     */
    int read(byte[] into, int offset, int length, int timeoutMillis) throws IOException {
        channel.socket().setSoTimeout(timeoutMillis);
        int n = timedInput.read(into, offset, length);
        if (n > 0) {
            lastActive = System.nanoTime();
        }
        return n;
    }

    int read(ByteBuffer into) throws IOException {
        int n = channel.read(into);
        if (n > 0) {
            lastActive = System.nanoTime();
        }
        return n;
    }

    void write(ByteBuffer... buffers) throws IOException {
        long remaining = 0;
        for (ByteBuffer b : buffers) {
            remaining += b.remaining();
        }
        while (remaining > 0) {
            long n = channel.write(buffers);
            remaining -= n;
            if (n > 0) {
                lastActive = System.nanoTime();
            }
        }
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
        write(ByteBuffer.wrap(bytes, offset, length));
    }

    void write(byte[] bytes) throws IOException {
        write(bytes, 0, bytes.length);
    }

    /** Half-close: tells the peer no more bytes come, while reading goes on. */
    void shutdownOutput() {
        try {
            channel.shutdownOutput();
        } catch (IOException | RuntimeException e) {
            // already closed or reset: the other direction will notice
        }
    }

    /** Stops reading: a blocked read returns end of stream. Nothing is sent to the peer. */
    void shutdownInput() {
        try {
            channel.shutdownInput();
        } catch (IOException | RuntimeException e) {
            // already closed
        }
    }

    /** Closes without throwing; the one close path for every connection. */
    @Override
    public void close() {
        closeQuietly(channel);
    }

    static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // nothing useful to do: the peer is gone or the socket already closed
        }
    }
}
