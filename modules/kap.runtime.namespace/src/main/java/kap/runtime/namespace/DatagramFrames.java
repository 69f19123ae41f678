package kap.runtime.namespace;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Datagrams over a stream, as DNS over TCP frames them: a 2-byte big-endian length, then the datagram. The bridge
 * turns each DNS query that arrives over UDP inside the capsule into one frame on the {@code dns-udp} socket; the
 * host sends it on to the sidecar over UDP, so truncation (TC) stays the DNS forwarder's job.
 */
final class DatagramFrames {

    /** The largest datagram: a UDP payload. */
    static final int MAX_DATAGRAM = 65_535;

    private DatagramFrames() {
    }

    static void write(SocketChannel channel, ByteBuffer datagram) throws IOException {
        if (datagram.remaining() > MAX_DATAGRAM) {
            throw new IOException("datagram of " + datagram.remaining() + " bytes");
        }
        ByteBuffer header = ByteBuffer.allocate(2).putShort(0, (short) datagram.remaining());
        ByteBuffer[] both = {header, datagram};
        while (header.hasRemaining() || datagram.hasRemaining()) {
            channel.write(both);
        }
    }

    /**
     * Reads one frame.
     *
     * @return the datagram, or {@code null} at a clean end of stream before a frame
     * @throws IOException if the stream ends inside a frame
     */
    static ByteBuffer read(SocketChannel channel) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(2);
        if (!fill(channel, header, true)) {
            return null;
        }
        ByteBuffer body = ByteBuffer.allocate(Short.toUnsignedInt(header.getShort(0)));
        fill(channel, body, false);
        return body.flip();
    }

    private static boolean fill(SocketChannel channel, ByteBuffer buffer, boolean endAllowed) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                if (endAllowed && buffer.position() == 0) {
                    return false;
                }
                throw new EOFException("stream ended inside a frame");
            }
        }
        return true;
    }
}
