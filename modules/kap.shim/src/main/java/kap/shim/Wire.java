package kap.shim;

/**
 * The shim protocol, version 1: one TCP connection per command, carrying frames both ways.
 *
 * <p>A frame is one type byte, a four-byte big-endian payload length, and the payload. The shim sends one
 * {@link #HEAD} frame ({@link Head}: tool, working directory, arguments, terminal flags), then {@link #STDIN} frames
 * and one {@link #STDIN_CLOSE}; it never half-closes the connection, so the connection ending before the exit frame
 * means the shim is gone (interrupted or killed) and the sidecar stops the tool. The sidecar answers with {@link #STDOUT}
 * and {@link #STDERR} frames as the tool produces output and ends with one {@link #EXIT} frame (a four-byte exit
 * code), or with one {@link #DIRECT} frame ({@link DirectGrant}) for a tool in direct mode. Denials and errors are
 * {@link #STDERR} text followed by {@link #EXIT} with one of the exit codes below.
 *
 * <p>Every size a peer controls has a limit here; a frame over its type's limit is a protocol error, never read.
 */
public final class Wire {

    /** Protocol version carried in the head. */
    public static final int VERSION = 1;

    /** Shim to sidecar: the request ({@link Head}). */
    public static final byte HEAD = 'H';
    /** Shim to sidecar: bytes for the tool's standard input. */
    public static final byte STDIN = 'I';
    /** Shim to sidecar: the shim's standard input ended; empty payload. */
    public static final byte STDIN_CLOSE = 'Z';
    /** Sidecar to shim: bytes the tool wrote to standard output. */
    public static final byte STDOUT = 'O';
    /** Sidecar to shim: bytes the tool wrote to standard error, or a message from kap. */
    public static final byte STDERR = 'E';
    /** Sidecar to shim: the exit code, four bytes; the last frame. */
    public static final byte EXIT = 'X';
    /** Sidecar to shim: run the real tool in the capsule with these variables ({@link DirectGrant}); the last frame. */
    public static final byte DIRECT = 'D';

    /** Length of a frame header: type and payload length. */
    public static final int FRAME_HEADER_BYTES = 5;
    /** Largest head: all arguments, the tool name and the working directory together. */
    public static final int MAX_HEAD_BYTES = 512 * 1024;
    /** Most arguments in one command. */
    public static final int MAX_ARGS = 4096;
    /** Largest single argument; Linux's own limit for one {@code execve} argument (MAX_ARG_STRLEN). */
    public static final int MAX_ARG_BYTES = 128 * 1024;
    /** Largest tool name. */
    public static final int MAX_TOOL_BYTES = 64;
    /** Largest working directory (PATH_MAX). */
    public static final int MAX_CWD_BYTES = 4096;
    /** Largest stdin, stdout or stderr chunk. */
    public static final int MAX_CHUNK_BYTES = 64 * 1024;
    /** Largest direct-mode grant. */
    public static final int MAX_DIRECT_BYTES = 256 * 1024;
    /** Most variables in a direct-mode grant. */
    public static final int MAX_ENV_ENTRIES = 256;

    /** Exit code: the tool ran longer than its timeout and was stopped (as coreutils {@code timeout}). */
    public static final int EXIT_TIMEOUT = 124;
    /** Exit code: kap could not run the command (bad request, a limit, the sidecar unreachable). */
    public static final int EXIT_KAP_ERROR = 125;
    /** Exit code: the policy denied the command. */
    public static final int EXIT_DENIED = 126;
    /** Exit code: the tool is not installed where it should run. */
    public static final int EXIT_NOT_FOUND = 127;

    /** Head flag: the shim's standard input is a terminal (it is then not forwarded). */
    public static final int FLAG_STDIN_TTY = 1;
    /** Head flag: the shim's standard output is a terminal. */
    public static final int FLAG_STDOUT_TTY = 2;
    /** Head flag: the shim's standard error is a terminal. */
    public static final int FLAG_STDERR_TTY = 4;

    private Wire() {
    }

    /**
     * The largest payload a frame of this type may carry.
     *
     * @param type frame type
     * @return limit in bytes
     * @throws WireException if the type is unknown
     */
    public static int maxPayload(byte type) throws WireException {
        switch (type) {
            case HEAD:
                return MAX_HEAD_BYTES;
            case STDIN:
            case STDOUT:
            case STDERR:
                return MAX_CHUNK_BYTES;
            case STDIN_CLOSE:
                return 0;
            case EXIT:
                return 4;
            case DIRECT:
                return MAX_DIRECT_BYTES;
            default:
                throw new WireException("unknown frame type 0x" + Integer.toHexString(type & 0xff));
        }
    }

    /**
     * The name of the limit that applies to a frame type, for error messages.
     *
     * @param type frame type
     * @return constant name
     */
    static String limitName(byte type) {
        switch (type) {
            case HEAD:
                return "MAX_HEAD_BYTES";
            case DIRECT:
                return "MAX_DIRECT_BYTES";
            case STDIN:
            case STDOUT:
            case STDERR:
                return "MAX_CHUNK_BYTES";
            default:
                return "the frame's fixed size";
        }
    }
}
