package kap.shim;

import java.io.IOException;

/**
 * A malformed or oversized frame, or a request over one of the {@link Wire} limits. The message is safe to show to
 * the other side: it names the limit, never data.
 */
public class WireException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, naming the limit if one was exceeded
     */
    public WireException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what is wrong
     * @param cause the underlying error
     */
    public WireException(String message, Throwable cause) {
        super(message, cause);
    }
}
