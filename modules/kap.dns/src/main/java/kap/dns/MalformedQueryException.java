package kap.dns;

import kap.policy.Reasons;

/**
 * A message that is not a query we answer. Carries the reply code and a safe, short description for the audit log.
 */
final class MalformedQueryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What to send back. */
    enum Reply {
        /** Nothing: no usable header, or the message is itself a response. */
        DROP,
        /** FORMERR (RCODE 1). */
        FORMERR,
        /** NOTIMP (RCODE 4), for opcodes other than QUERY. */
        NOTIMP
    }

    private final Reply reply;
    private final String reason;

    MalformedQueryException(Reply reply, String reason, String problem) {
        super(problem, null, false, false);
        this.reply = reply;
        this.reason = reason;
    }

    static MalformedQueryException formErr(String problem) {
        return new MalformedQueryException(Reply.FORMERR, Reasons.MALFORMED_QUERY, problem);
    }

    static MalformedQueryException drop(String problem) {
        return new MalformedQueryException(Reply.DROP, Reasons.MALFORMED_QUERY, problem);
    }

    Reply reply() {
        return reply;
    }

    /**
     * The stable reason string.
     *
     * @return one of {@link Reasons}
     */
    String reason() {
        return reason;
    }
}
