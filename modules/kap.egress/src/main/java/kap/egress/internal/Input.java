package kap.egress.internal;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/**
 * Buffered reading from one connection: message heads under a size limit and deadline, then bodies. Bytes read past
 * a head stay buffered for the body, the next pipelined request, or the start of a tunnel.
 */
final class Input {

    /** Empty lines tolerated before a request line (RFC 9112 §2.2 allows some robustness here). */
    static final int MAX_LEADING_EMPTY_LINES = 4;
    /** Buffer size to start with; it grows up to the head limit when a head needs it. */
    static final int INITIAL_BUFFER = 4096;

    private final Conn conn;
    private byte[] buf = new byte[INITIAL_BUFFER];
    private int pos;
    private int lim;

    Input(Conn conn) {
        this.conn = conn;
    }

    /**
     * Reads one message head. The first byte must come within {@code firstByteMillis}; the whole head must then
     * come within {@code headMillis} of it.
     *
     * @param maxBytes head size limit
     * @return the head including its empty line, or {@code null} if the peer closed before sending a byte
     * @throws EgressException {@code HEAD_TOO_LARGE}, {@code MALFORMED} (bare CR or LF, NUL), {@code HEAD_TIMEOUT}
     * @throws SocketTimeoutException if no first byte came in time
     * @throws IOException if the connection fails or closes inside a head
     */
    byte[] readHead(int maxBytes, long firstByteMillis, long headMillis) throws IOException {
        if (lim == pos && fill(buf.length, Math.clamp(firstByteMillis, 1, Integer.MAX_VALUE)) < 0) {
            return null;
        }
        long deadline = System.nanoTime() + headMillis * 1_000_000L;
        int checked = 0;
        int skipped = 0;
        while (true) {
            while (checked == 0 && skipped < MAX_LEADING_EMPTY_LINES && lim - pos >= 2 && buf[pos] == '\r'
                    && buf[pos + 1] == '\n') {
                pos += 2;
                skipped++;
            }
            int end = HeadScanner.endOfHead(buf, pos, pos + checked, lim);
            if (end > 0 && end - pos > maxBytes || end < 0 && lim - pos >= maxBytes) {
                throw new EgressException(EgressException.Kind.HEAD_TOO_LARGE,
                        "head larger than " + maxBytes + " bytes");
            }
            if (end > 0) {
                byte[] head = Arrays.copyOfRange(buf, pos, end);
                pos = end;
                return head;
            }
            checked = lim - pos;
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw headTimeout(headMillis);
            }
            try {
                if (fill(maxBytes - checked, (int) Math.min(left, Integer.MAX_VALUE)) < 0) {
                    throw new EOFException("connection closed inside a message head");
                }
            } catch (SocketTimeoutException e) {
                throw headTimeout(headMillis);
            }
        }
    }

    private static EgressException headTimeout(long headMillis) {
        return new EgressException(EgressException.Kind.HEAD_TIMEOUT,
                "head not complete within " + headMillis + " ms");
    }

    /**
     * Reads buffered bytes first, then from the connection without a timeout (the watchdog guards the exchange).
     *
     * @return bytes read, or -1 at end of stream
     */
    int read(byte[] into, int offset, int length) throws IOException {
        if (lim > pos) {
            int n = Math.min(length, lim - pos);
            System.arraycopy(buf, pos, into, offset, n);
            pos += n;
            return n;
        }
        return conn.read(into, offset, length, 0);
    }

    /** Reads one byte, or -1 at end of stream. */
    int read() throws IOException {
        if (lim == pos && fill(buf.length, 0) < 0) {
            return -1;
        }
        return buf[pos++] & 0xff;
    }

    /**
     * Takes the bytes read past the last head, such as a ClientHello sent right behind CONNECT, and drops the buffer:
     * a tunnel reads its client directly from then on, and an idle tunnel should not hold a head buffer.
     */
    byte[] drainAndRelease() {
        byte[] rest = Arrays.copyOfRange(buf, pos, lim);
        buf = new byte[0];
        pos = 0;
        lim = 0;
        return rest;
    }

    /** Reads more bytes into the buffer, compacting and growing it up to {@code want} free bytes. */
    private int fill(int want, int timeoutMillis) throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        if (buf.length - lim < Math.min(want, INITIAL_BUFFER)) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, lim + INITIAL_BUFFER));
        }
        int n = conn.read(buf, lim, Math.min(buf.length - lim, Math.max(want, 1)), timeoutMillis);
        if (n > 0) {
            lim += n;
        }
        return n;
    }
}
