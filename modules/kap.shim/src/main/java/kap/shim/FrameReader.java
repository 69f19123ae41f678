package kap.shim;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads frames from a stream, enforcing each type's payload limit before reading the payload. Not thread-safe: one
 * reader per stream.
 */
public final class FrameReader {

    private final InputStream in;
    private final byte[] header = new byte[Wire.FRAME_HEADER_BYTES];

    /**
     * Creates a reader.
     *
     * @param in the stream; the reader does its own exact reads, so it need not be buffered
     */
    public FrameReader(InputStream in) {
        this.in = in;
    }

    /**
     * Reads the next frame.
     *
     * @return the frame, or {@code null} if the stream ended cleanly between frames
     * @throws OversizedFrameException if the frame is longer than its type allows (the payload is left unread)
     * @throws WireException if the type is unknown or the stream ends inside a frame
     * @throws IOException if reading fails
     */
    public Frame next() throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        header[0] = (byte) first;
        readFully(header, 1, Wire.FRAME_HEADER_BYTES - 1);
        byte type = header[0];
        long length = ((header[1] & 0xffL) << 24) | ((header[2] & 0xff) << 16) | ((header[3] & 0xff) << 8)
                | (header[4] & 0xff);
        int max = Wire.maxPayload(type);
        if (length > max) {
            throw new OversizedFrameException(type, length, max);
        }
        byte[] payload = new byte[(int) length];
        readFully(payload, 0, payload.length);
        return new Frame(type, payload);
    }

    /**
     * Reads and drops bytes, up to a bound; used to consume an oversized frame so that the peer, still writing it,
     * can read the error instead of a connection reset.
     *
     * @param count bytes to skip
     * @return bytes actually skipped (fewer if the stream ended)
     * @throws IOException if reading fails
     */
    public long discard(long count) throws IOException {
        byte[] sink = new byte[8192];
        long left = count;
        while (left > 0) {
            int n = in.read(sink, 0, (int) Math.min(sink.length, left));
            if (n < 0) {
                break;
            }
            left -= n;
        }
        return count - left;
    }

    private void readFully(byte[] buffer, int offset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int n = in.read(buffer, offset + done, length - done);
            if (n < 0) {
                throw new WireException("connection ended inside a frame", new EOFException());
            }
            done += n;
        }
    }
}
