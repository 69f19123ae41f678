package kap.runtime.namespace;

/**
 * A libc call failed.
 */
final class NativeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** {@code EPERM}. */
    static final int EPERM = 1;
    /** {@code ENOENT}. */
    static final int ENOENT = 2;
    /** {@code ESRCH}. */
    static final int ESRCH = 3;
    /** {@code ECHILD}. */
    static final int ECHILD = 10;
    /** {@code EACCES}. */
    static final int EACCES = 13;

    private final int errno;

    NativeException(String call, int errno, String description) {
        super(call + ": " + description);
        this.errno = errno;
    }

    int errno() {
        return errno;
    }
}
