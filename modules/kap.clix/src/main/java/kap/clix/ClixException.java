package kap.clix;

import kap.shim.Wire;

/**
 * A command that kap refused or could not run, for a reason other than the policy. It carries the exit code the shim
 * exits with, the audit reason, and a message safe to show the agent. {@link Replies} is the one place that turns it
 * into frames.
 */
final class ClixException extends Exception {

    /** Audit reason: the request broke the protocol or one of its limits. */
    static final String INVALID_REQUEST = "invalid request";
    /** Audit reason: the working directory is outside the workspace or escapes it. */
    static final String CWD_REFUSED = "working directory refused";
    /** Audit reason: the tool's configuration cannot be applied. */
    static final String MISCONFIGURED = "tool misconfigured";
    /** Audit reason: the tool is not installed on the sidecar. */
    static final String NOT_INSTALLED = "not installed on the sidecar";
    /** Audit reason: too many commands are running. */
    static final String BUSY = "too many commands running";

    private static final long serialVersionUID = 1L;

    private final int exitCode;
    private final String reason;

    private ClixException(int exitCode, String reason, String safeMessage) {
        super(safeMessage);
        this.exitCode = exitCode;
        this.reason = reason;
    }

    static ClixException invalidRequest(String message) {
        return new ClixException(Wire.EXIT_KAP_ERROR, INVALID_REQUEST, message);
    }

    static ClixException cwdRefused(String message) {
        return new ClixException(Wire.EXIT_KAP_ERROR, CWD_REFUSED, message);
    }

    static ClixException misconfigured(String message) {
        return new ClixException(Wire.EXIT_KAP_ERROR, MISCONFIGURED, message);
    }

    static ClixException notInstalled(String message) {
        return new ClixException(Wire.EXIT_NOT_FOUND, NOT_INSTALLED, message);
    }

    static ClixException busy(String message) {
        return new ClixException(Wire.EXIT_KAP_ERROR, BUSY, message);
    }

    /**
     * The shim's exit code.
     *
     * @return code
     */
    int exitCode() {
        return exitCode;
    }

    /**
     * The audit reason.
     *
     * @return one of the constants above
     */
    String reason() {
        return reason;
    }
}
