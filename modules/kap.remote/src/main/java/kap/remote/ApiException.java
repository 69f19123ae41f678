package kap.remote;

/**
 * A request the API refuses, with a status and a message that is safe to show the phone. {@link Api} turns it into
 * the JSON reply; nothing else writes errors.
 */
final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    ApiException(int status, String safeMessage) {
        super(safeMessage);
        this.status = status;
    }

    int status() {
        return status;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, message);
    }
}
