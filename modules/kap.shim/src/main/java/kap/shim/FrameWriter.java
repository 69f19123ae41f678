package kap.shim;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes frames to a stream, each flushed as it is written so output streams to the peer as it is produced.
 * Thread-safe: the tool's stdout and stderr pumps and the exit share one writer.
 */
public final class FrameWriter {

    private final OutputStream out;
    private final byte[] header = new byte[Wire.FRAME_HEADER_BYTES];

    /**
     * Creates a writer.
     *
     * @param out the stream; unbuffered is fine, each frame is written in at most two calls
     */
    public FrameWriter(OutputStream out) {
        this.out = out;
    }

    /**
     * Writes one frame.
     *
     * @param type frame type
     * @param payload bytes
     * @param offset start in {@code payload}
     * @param length bytes to send; at most the type's limit
     * @throws WireException if the payload is over the type's limit
     * @throws IOException if writing fails
     */
    public synchronized void write(byte type, byte[] payload, int offset, int length) throws IOException {
        int max = Wire.maxPayload(type);
        if (length > max) {
            throw new OversizedFrameException(type, length, max);
        }
        header[0] = type;
        header[1] = (byte) (length >>> 24);
        header[2] = (byte) (length >>> 16);
        header[3] = (byte) (length >>> 8);
        header[4] = (byte) length;
        out.write(header);
        if (length > 0) {
            out.write(payload, offset, length);
        }
        out.flush();
    }

    /**
     * Writes a frame with a whole payload.
     *
     * @param type frame type
     * @param payload bytes
     * @throws IOException if writing fails or the payload is over the limit
     */
    public void write(byte type, byte[] payload) throws IOException {
        write(type, payload, 0, payload.length);
    }

    /**
     * Writes an empty frame, such as {@link Wire#STDIN_CLOSE}.
     *
     * @param type frame type
     * @throws IOException if writing fails
     */
    public void signal(byte type) throws IOException {
        write(type, new byte[0], 0, 0);
    }

    /**
     * Writes the exit frame.
     *
     * @param code exit code
     * @throws IOException if writing fails
     */
    public void exit(int code) throws IOException {
        write(Wire.EXIT, new byte[] {(byte) (code >>> 24), (byte) (code >>> 16), (byte) (code >>> 8), (byte) code});
    }

    /**
     * Reads the exit code from an {@link Wire#EXIT} payload.
     *
     * @param payload four bytes
     * @return the code
     * @throws WireException if the payload is not four bytes
     */
    public static int exitCode(byte[] payload) throws WireException {
        if (payload.length != 4) {
            throw new WireException("an exit frame carries 4 bytes, not " + payload.length);
        }
        return ((payload[0] & 0xff) << 24) | ((payload[1] & 0xff) << 16) | ((payload[2] & 0xff) << 8)
                | (payload[3] & 0xff);
    }
}
