package kap.policy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;


/**
 * One immutable policy snapshot: a validated configuration and the decisions it makes. Thread-safe; readers take the
 * current snapshot from {@link LivePolicy} once per request and use it throughout, so a reload never changes the rules
 * in the middle of a request.
 *
 * <p>Every decide method evaluates in this order, top to bottom, with early returns:
 * <ol>
 *     <li>a deny rule matches: {@link Reasons#DENIED_BY_RULE} (deny always wins);</li>
 *     <li>an allow rule matches: {@link Reasons#ALLOWED_BY_RULE};</li>
 *     <li>an active {@link Grant} matches: {@link Reasons#ALLOWED_BY_GRANT};</li>
 *     <li>the allow list is empty: {@link Reasons#EMPTY_ALLOW_LIST};</li>
 *     <li>otherwise: {@link Reasons#NO_RULE_MATCHED}, the fail-closed default.</li>
 * </ol>
 * Grants never override a deny rule.
 */
public final class Policy {

    /** Ports a bare network rule (no {@code :port}) allows: HTTP and HTTPS. */
    public static final Set<Integer> DEFAULT_PORTS = Set.of(80, 443);

    private final KapConfig config;
    private final AddressClassifier classifier;
    private final GrantIndex grants;

    private Policy(KapConfig config, AddressClassifier classifier, List<Grant> grants, GrantLedger ledger) {
        this.config = Objects.requireNonNull(config, "config");
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.grants = GrantIndex.compile(grants, ledger);
    }

    /**
     * Creates a snapshot without grants.
     *
     * @param config validated configuration
     * @param classifier address classifier
     * @return the policy
     */
    public static Policy of(KapConfig config, AddressClassifier classifier) {
        return new Policy(config, classifier, List.of(), GrantLedger.inMemory());
    }

    /**
     * Creates a snapshot with the grants in force.
     *
     * @param config validated configuration
     * @param classifier address classifier
     * @param grants grants, expired ones included (they are checked at decision time)
     * @param ledger records grant use, shared across snapshots
     * @return the policy
     */
    public static Policy of(KapConfig config, AddressClassifier classifier, List<Grant> grants, GrantLedger ledger) {
        return new Policy(config, classifier, grants, ledger);
    }

    /**
     * Compiles a grant's pattern as the policy would, to refuse a bad one before it is written.
     *
     * @param grant the grant
     * @throws IllegalArgumentException saying what is wrong with the pattern
     */
    static void check(Grant grant) {
        GrantIndex.check(grant);
    }

    /**
     * Grants that could not be compiled (a pattern that is not a valid rule); they are ignored.
     *
     * @return one message per grant
     */
    public List<String> grantProblems() {
        return grants.problems();
    }

    /**
     * The grants in force and not used up.
     *
     * @return grants
     */
    public List<Grant> activeGrants() {
        return grants.active();
    }

    /**
     * The configuration behind this snapshot.
     *
     * @return configuration
     */
    public KapConfig config() {
        return config;
    }

    /**
     * First layer of the network check: the normalised host and port against {@code [proxy.network]}. A bare rule
     * allows ports 80 and 443; a {@code host:port} rule allows its port; a bare deny rule denies every port. An IP
     * literal is allowed only by an IP or CIDR rule.
     *
     * @param target normalised target
     * @return the decision
     */
    public Decision decideHost(HostPort target) {
        NetworkConfig network = config.proxy().network();
        for (Rule rule : network.deny()) {
            if (rule.matcher().matchesAsDeny(target)) {
                return Decision.deny(Reasons.DENIED_BY_RULE, rule.pattern());
            }
        }
        Rule otherPort = null;
        for (Rule rule : network.allow()) {
            if (rule.matcher().matches(target)) {
                if (rule.matcher().port().isPresent() || DEFAULT_PORTS.contains(target.port())) {
                    return Decision.allow(Reasons.ALLOWED_BY_RULE, rule.pattern());
                }
                otherPort = otherPort == null ? rule : otherPort;
            }
        }
        Optional<Decision> granted = grants.take(Grant.Scope.NETWORK, null, target);
        if (granted.isPresent()) {
            return granted.get();
        }
        if (network.allow().isEmpty()) {
            return Decision.denyByDefault(Reasons.EMPTY_ALLOW_LIST);
        }
        if (otherPort != null) {
            return Decision.deny(Reasons.PORT_NOT_ALLOWED, otherPort.pattern());
        }
        if (target.isIpLiteral()) {
            return Decision.denyByDefault(Reasons.IP_LITERAL_NEEDS_IP_RULE);
        }
        return Decision.denyByDefault(Reasons.NO_RULE_MATCHED);
    }

    /**
     * Whether a name may be resolved: used by DNS, which does not know the port a name will be used with. A name
     * resolves if some allow rule names it on any port and no port-less deny rule matches it.
     *
     * @param name a normalised name
     * @return the decision, with the same reasons as {@link #decideHost}
     */
    public Decision decideName(String name) {
        NetworkConfig network = config.proxy().network();
        HostPort web = new HostPort(name, 443);
        for (Rule rule : network.deny()) {
            // a host:port deny closes one port; the name itself still resolves for the others
            if (rule.matcher().port().isEmpty() && rule.matcher().matchesAsDeny(web)) {
                return Decision.deny(Reasons.DENIED_BY_RULE, rule.pattern());
            }
        }
        for (Rule rule : network.allow()) {
            if (rule.matcher().matches(new HostPort(name, rule.matcher().port().orElse(443)))) {
                return Decision.allow(Reasons.ALLOWED_BY_RULE, rule.pattern());
            }
        }
        // resolving a name does not use up a one-time grant: the connection that follows does
        Optional<Decision> granted = grants.peekName(name);
        if (granted.isPresent()) {
            return granted.get();
        }
        if (network.allow().isEmpty()) {
            return Decision.denyByDefault(Reasons.EMPTY_ALLOW_LIST);
        }
        return Decision.denyByDefault(Reasons.NO_RULE_MATCHED);
    }

    /**
     * Classifies an address.
     *
     * @param address the address
     * @return classification
     */
    public Classification classify(InetAddress address) {
        return classifier.classify(address);
    }

    /**
     * Second layer of the network check: is this resolved address one we may connect to? Public addresses pass;
     * every other class is denied unless an {@code unsafe_allow_cidrs} entry contains the address or the IPv4 it
     * embeds.
     *
     * @param classification the address's classification
     * @return the decision
     */
    public Decision vet(Classification classification) {
        if (classification.isPublic()) {
            return Decision.pass(Reasons.PUBLIC_ADDRESS);
        }
        InetAddress address = classification.address();
        for (Cidr cidr : config.proxy().network().unsafeAllowCidrs()) {
            boolean embedded = address instanceof Inet6Address v6
                    && AddressClassifier.embeddedIpv4(v6).map(cidr::contains).orElse(false);
            if (cidr.contains(address) || embedded) {
                return Decision.allow(Reasons.OPENED_BY_UNSAFE_CIDR, cidr.toString());
            }
        }
        return Decision.denyByDefault(Reasons.NON_PUBLIC_ADDRESS);
    }

    /**
     * Whether an MCP tool may be listed and called.
     *
     * @param server server name
     * @param tool tool name
     * @return the decision
     */
    public Decision decideMcpTool(String server, String tool) {
        return config.mcp().flatMap(m -> m.server(server))
                .map(s -> decide(s.allow(), s.deny(), new McpName(tool), server, Grant.Scope.MCP))
                .orElse(Decision.denyByDefault(Reasons.NOT_CONFIGURED));
    }

    /**
     * Whether an MCP resource may be listed and read.
     *
     * @param server server name
     * @param uri resource URI
     * @return the decision
     */
    public Decision decideMcpResource(String server, String uri) {
        return config.mcp().flatMap(m -> m.server(server))
                .map(s -> decide(s.allowResources(), s.denyResources(), new McpName(uri), null, null))
                .orElse(Decision.denyByDefault(Reasons.NOT_CONFIGURED));
    }

    /**
     * Whether an MCP prompt may be listed and fetched.
     *
     * @param server server name
     * @param prompt prompt name
     * @return the decision
     */
    public Decision decideMcpPrompt(String server, String prompt) {
        return config.mcp().flatMap(m -> m.server(server))
                .map(s -> decide(s.allowPrompts(), s.denyPrompts(), new McpName(prompt), null, null))
                .orElse(Decision.denyByDefault(Reasons.NOT_CONFIGURED));
    }

    /**
     * Whether a proxied CLI command may run. The command is read every way its flags allow
     * ({@link CommandLine#readings}); it runs only if every reading is allowed. No arguments at all is allowed, so
     * the tool can print its help.
     *
     * @param tool tool name
     * @param args argv after the tool name
     * @param spec what is known about the tool's flags
     * @return the decision
     */
    public Decision decideCommand(String tool, List<String> args, FlagSpec spec) {
        var configured = config.cli().flatMap(c -> c.tool(tool));
        if (configured.isEmpty() || configured.get().mode() != CliMode.PROXY) {
            return Decision.denyByDefault(Reasons.NOT_CONFIGURED);
        }
        if (args.isEmpty()) {
            return Decision.pass("no arguments");
        }
        List<CommandLine> readings;
        try {
            readings = CommandLine.readings(args, spec);
        } catch (IllegalArgumentException e) {
            return Decision.denyByDefault(Reasons.UNJUDGEABLE);
        }
        Decision firstAllow = null;
        Decision firstDeny = null;
        for (CommandLine reading : readings) {
            Decision d = decide(configured.get().allow(), configured.get().deny(), reading, tool, Grant.Scope.CLI);
            if (d.allowed()) {
                firstAllow = firstAllow == null ? d : firstAllow;
            } else if (Reasons.DENIED_BY_RULE.equals(d.reason())) {
                // the most telling answer: a deny rule that some reading of the flags hits
                return d;
            } else {
                firstDeny = firstDeny == null ? d : firstDeny;
            }
        }
        return firstDeny != null ? firstDeny : firstAllow;
    }

    private Decision decide(List<Rule> allow, List<Rule> deny, Subject subject, String owner, Grant.Scope scope) {
        for (Rule rule : deny) {
            if (rule.matcher().matchesAsDeny(subject)) {
                return Decision.deny(Reasons.DENIED_BY_RULE, rule.pattern());
            }
        }
        for (Rule rule : allow) {
            if (rule.matcher().matches(subject)) {
                return Decision.allow(Reasons.ALLOWED_BY_RULE, rule.pattern());
            }
        }
        if (scope != null) {
            Optional<Decision> granted = grants.take(scope, owner, subject);
            if (granted.isPresent()) {
                return granted.get();
            }
        }
        if (allow.isEmpty()) {
            return Decision.denyByDefault(Reasons.EMPTY_ALLOW_LIST);
        }
        return Decision.denyByDefault(Reasons.NO_RULE_MATCHED);
    }
}
