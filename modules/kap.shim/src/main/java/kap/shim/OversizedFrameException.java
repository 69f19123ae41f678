package kap.shim;

/**
 * A frame longer than its type allows. Its payload has not been read.
 */
public final class OversizedFrameException extends WireException {

    private static final long serialVersionUID = 1L;

    private final long length;

    OversizedFrameException(byte type, long length, int max) {
        super("a '" + (char) type + "' frame of " + length + " bytes is over the limit of " + max + " bytes ("
                + Wire.limitName(type) + ")");
        this.length = length;
    }

    /**
     * The payload length the frame announced.
     *
     * @return bytes
     */
    public long length() {
        return length;
    }
}
