package kap.shim;

/**
 * One frame of the shim protocol.
 *
 * @param type one of the frame types in {@link Wire}
 * @param payload the payload, never {@code null}; within {@link Wire#maxPayload(byte)}
 */
public record Frame(byte type, byte[] payload) {
}
