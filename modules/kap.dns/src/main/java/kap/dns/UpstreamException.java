package kap.dns;

/**
 * No upstream gave a usable answer in time. The message is safe to log; the client only sees SERVFAIL.
 */
final class UpstreamException extends Exception {

    private static final long serialVersionUID = 1L;

    UpstreamException(String message) {
        super(message, null, false, false);
    }
}
