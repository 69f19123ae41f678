package kap.dns;

/**
 * A query answered without asking upstream, and why. {@link Replies} is the one place that turns it into wire form.
 *
 * @param rcode reply code, such as {@link Wire#NXDOMAIN} or {@link Wire#REFUSED}
 * @param reason a stable {@link kap.policy.Reasons} string
 * @param rule the rule that decided, or {@code null}
 * @param edeCode Extended DNS Error info code (RFC 8914), such as 15 "Blocked" or 18 "Prohibited"
 * @param text short text for the EDE option, seen by the client (for example in dig); never secret
 */
record Refusal(int rcode, String reason, String rule, int edeCode, String text) {

    /** EDE 15: blocked by the operator's policy. */
    static final int EDE_BLOCKED = 15;
    /** EDE 18: the client is prohibited (rate and budget limits). */
    static final int EDE_PROHIBITED = 18;
    /** EDE 22: no upstream answered. */
    static final int EDE_NO_REACHABLE_AUTHORITY = 22;
    /** EDE 0: other. */
    static final int EDE_OTHER = 0;
}
