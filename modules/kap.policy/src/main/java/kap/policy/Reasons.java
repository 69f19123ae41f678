package kap.policy;

/**
 * The stable reason strings of {@link Decision}s. They are a tested contract: tools and people grep for them.
 */
public final class Reasons {
    /** A deny rule matched; deny always wins. */
    public static final String DENIED_BY_RULE = "denied by rule";
    /** An allow rule matched and no deny rule did. */
    public static final String ALLOWED_BY_RULE = "allowed by rule";
    /** No rule matched: the fail-closed default. */
    public static final String NO_RULE_MATCHED = "no rule matched";
    /** The allow list is empty, so everything is denied. */
    public static final String EMPTY_ALLOW_LIST = "allow list is empty";
    /** The host matched an allow rule, but not on this port. */
    public static final String PORT_NOT_ALLOWED = "port not allowed";
    /** The target is an IP literal and no IP or CIDR rule allows it. */
    public static final String IP_LITERAL_NEEDS_IP_RULE = "IP-literal target needs an explicit IP or CIDR rule";
    /** The host could not be parsed or normalised. */
    public static final String INVALID_HOST = "invalid host";
    /** The resolved address is an ordinary public address. */
    public static final String PUBLIC_ADDRESS = "public address";
    /** The resolved address is in a range that is denied unless an unsafe CIDR opens it. */
    public static final String NON_PUBLIC_ADDRESS = "non-public address";
    /** An {@code unsafe_allow_cidrs} entry opened a non-public address. */
    public static final String OPENED_BY_UNSAFE_CIDR = "opened by unsafe_allow_cidrs";
    /** The MCP server or CLI tool is not configured. */
    public static final String NOT_CONFIGURED = "not configured";
    /** The command line could not be judged safely (for example too many ambiguous flags). */
    public static final String UNJUDGEABLE = "cannot be judged safely";
    /** The TLS ClientHello in a tunnel names another host (SNI) than the CONNECT request did. */
    public static final String SNI_MISMATCH = "SNI mismatch";
    /** The request's framing or syntax is malformed or ambiguous (for example Content-Length with chunked). */
    public static final String MALFORMED_REQUEST = "malformed request";
    /** A limit on what a client controls was exceeded: head size, head deadline, connection or tunnel caps. */
    public static final String LIMIT_EXCEEDED = "limit exceeded";
    /** The request method is refused outright, whatever the target (TRACE). */
    public static final String METHOD_NOT_ALLOWED = "method not allowed";

    private Reasons() {
    }
}
