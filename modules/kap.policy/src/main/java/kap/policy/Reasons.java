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
    /** A human's grant (an approval from the phone or the CLI) allowed what no rule did. */
    public static final String ALLOWED_BY_GRANT = "allowed by grant";
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

    private Reasons() {
    }
}
