package kap.mcp;

/**
 * Registering or contacting an MCP server failed; the message says why and is fit to show the user.
 */
public final class RegistrationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, for the user
     */
    public RegistrationException(String message) {
        super(message);
    }
}
