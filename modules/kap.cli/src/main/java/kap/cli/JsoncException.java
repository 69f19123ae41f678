package kap.cli;

/**
 * A devcontainer.json that is not valid JSONC; the message starts with {@code line:column}.
 */
final class JsoncException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    JsoncException(String message) {
        super(message);
    }
}
