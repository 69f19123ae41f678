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
    /** The TLS ClientHello in a tunnel names another host (SNI) than the CONNECT request did. */
    public static final String SNI_MISMATCH = "SNI mismatch";
    /** The request's framing or syntax is malformed or ambiguous (for example Content-Length with chunked). */
    public static final String MALFORMED_REQUEST = "malformed request";
    /** A limit on what a peer controls was reached: sizes, counts, deadlines, connection or tunnel caps. */
    public static final String LIMIT_EXCEEDED = "limit exceeded";
    /** The method is refused outright: TRACE at the egress proxy, an MCP method kap cannot judge. */
    public static final String METHOD_NOT_ALLOWED = "method not allowed";

    // DNS forwarder (kap.dns): refusals that come before, or on top of, the name policy.
    /** The DNS message could not be parsed, or is not a plain query with exactly one question. */
    public static final String MALFORMED_QUERY = "malformed query";
    /** The DNS opcode is not QUERY. */
    public static final String UNSUPPORTED_OPCODE = "unsupported opcode";
    /** The query type or class is never forwarded: ANY, AXFR, IXFR and other meta types, or a class other than IN. */
    public static final String QUERY_TYPE_REFUSED = "query type refused";
    /** A reverse lookup (in-addr.arpa, ip6.arpa) of an address the classifier calls non-public. */
    public static final String NON_PUBLIC_REVERSE_LOOKUP = "reverse lookup of a non-public address";
    /** A name with a single label, such as a bare host name; never forwarded. */
    public static final String SINGLE_LABEL_NAME = "single-label name";
    /** A special-use name (RFC 6761 and later) that has no meaning upstream, such as {@code *.local}. */
    public static final String SPECIAL_USE_NAME = "special-use name";
    /** A label or the whole name is longer than the configured limit. */
    public static final String NAME_TOO_LONG = "name too long";
    /** The zone has seen more unique names this minute than its budget allows. */
    public static final String ZONE_BUDGET_EXCEEDED = "zone budget exceeded";
    /** The client sent more queries per second than it may. */
    public static final String CLIENT_RATE_EXCEEDED = "client rate exceeded";

    // MCP proxy (kap.mcp)
    /** An MCP message could not be parsed or is not valid JSON-RPC (including duplicate keys); never forwarded. */
    public static final String MALFORMED_MESSAGE = "malformed message";
    /** An MCP tool, prompt or resource name holds control, invisible or confusable characters. */
    public static final String UNSAFE_NAME = "unsafe name";
    /** An MCP tool's name, description or input schema changed since a human approved it (rug-pull guard). */
    public static final String TOOL_CHANGED = "tool changed since approval";
    /** An MCP tool was seen for the first time and its definition was pinned. */
    public static final String TOOL_PINNED = "tool pinned on first use";
    /** A human approved an MCP tool's changed definition. */
    public static final String TOOL_APPROVED = "tool change approved";

    // Approvals (source "approval"): what a human decided about a denied request.
    /** A one-time grant was given: the next matching request is allowed, once. */
    public static final String APPROVED_ONCE = "approved once";
    /** A timed grant was given: matching requests are allowed until it expires. */
    public static final String APPROVED_FOR_A_WHILE = "approved for a while";
    /** A line was added to kap.toml: the request is allowed from now on. */
    public static final String APPROVED_PERMANENTLY = "approved permanently";
    /** A human dismissed the request; it stays denied. */
    public static final String REQUEST_DISMISSED = "request dismissed";
    /** A grant was withdrawn before it expired. */
    public static final String GRANT_REVOKED = "grant revoked";

    private Reasons() {
    }
}
