package kap.egress.internal;

import java.util.Objects;

import kap.policy.Reasons;

/**
 * A request the proxy refuses or cannot complete, before any response byte was sent. {@link Responses} turns it into
 * the HTTP answer; nothing else does. The message is safe to show to the client: it never carries upstream error text,
 * stack traces or addresses the client did not send.
 */
final class EgressException extends RuntimeException {

    /** What went wrong; each kind has one status and one audit reason. */
    enum Kind {
        /** Malformed or ambiguous syntax or framing. */
        MALFORMED(400, "Bad Request", Reasons.MALFORMED_REQUEST),
        /** TRACE. */
        METHOD_NOT_ALLOWED(405, "Method Not Allowed", Reasons.METHOD_NOT_ALLOWED),
        /** The request head did not arrive in time (slowloris). */
        HEAD_TIMEOUT(408, "Request Timeout", Reasons.LIMIT_EXCEEDED),
        /** A connection or tunnel cap is reached. */
        TOO_MANY(429, "Too Many Requests", Reasons.LIMIT_EXCEEDED),
        /** The request head is larger than allowed. */
        HEAD_TOO_LARGE(431, "Request Header Fields Too Large", Reasons.LIMIT_EXCEEDED),
        /** An HTTP version other than 1.0 and 1.1. */
        VERSION(505, "HTTP Version Not Supported", Reasons.MALFORMED_REQUEST),
        /** The upstream refused, reset, did not resolve or answered garbage. */
        BAD_GATEWAY(502, "Bad Gateway", null),
        /** The upstream did not answer in time. */
        GATEWAY_TIMEOUT(504, "Gateway Timeout", null);

        private final int status;
        private final String phrase;
        private final String auditReason;

        Kind(int status, String phrase, String auditReason) {
            this.status = status;
            this.phrase = phrase;
            this.auditReason = auditReason;
        }

        int status() {
            return status;
        }

        String phrase() {
            return phrase;
        }

        /** The audit reason, or {@code null} when the policy allowed the request and only the upstream failed. */
        String auditReason() {
            return auditReason;
        }
    }

    private final Kind kind;

    EgressException(Kind kind, String safeMessage) {
        // no stack trace: these are expected on hostile input and must stay cheap
        super(safeMessage, null, false, false);
        this.kind = Objects.requireNonNull(kind);
    }

    static EgressException malformed(String safeMessage) {
        return new EgressException(Kind.MALFORMED, safeMessage);
    }

    Kind kind() {
        return kind;
    }

    /** The message for the client and the audit log. */
    String safeMessage() {
        return getMessage();
    }
}
