package kap.cli;

/**
 * A failure with a message for the user; the CLI prints it after {@code kap: } and exits with 1.
 */
final class KapException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    KapException(String message) {
        super(message);
    }
}
