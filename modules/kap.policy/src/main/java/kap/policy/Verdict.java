package kap.policy;

/**
 * The outcome of a decision. A closed set: anything that is not explicitly allowed is denied.
 */
public enum Verdict {
    /** The request may proceed. */
    ALLOW,
    /** The request is refused. */
    DENY
}
