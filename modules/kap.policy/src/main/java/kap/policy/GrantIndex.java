package kap.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import kap.policy.internal.MatcherRegistry;
import kap.policy.spi.Matcher;
import kap.policy.spi.MatcherScope;

/**
 * The grants of one policy snapshot, compiled by the matchers of their scopes. Expiry is checked at decision time,
 * so a snapshot never needs rebuilding for a grant to lapse; one-time use is recorded in the shared ledger.
 */
final class GrantIndex {

    private final List<CompiledGrant> grants;
    private final List<String> problems;
    private final GrantLedger ledger;

    private GrantIndex(List<CompiledGrant> grants, List<String> problems, GrantLedger ledger) {
        this.grants = grants;
        this.problems = problems;
        this.ledger = ledger;
    }

    static GrantIndex compile(List<Grant> grants, GrantLedger ledger) {
        List<CompiledGrant> compiled = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Grant g : grants) {
            try {
                compiled.add(CompiledGrant.of(g));
            } catch (IllegalArgumentException e) {
                problems.add("grant " + g.id() + " '" + g.pattern() + "': " + e.getMessage());
            }
        }
        return new GrantIndex(List.copyOf(compiled), List.copyOf(problems), java.util.Objects.requireNonNull(ledger));
    }

    /** Compiles one grant, to refuse a bad pattern before it is written. */
    static void check(Grant grant) {
        CompiledGrant.of(grant);
    }

    List<String> problems() {
        return problems;
    }

    List<Grant> active() {
        Instant now = Instant.now();
        return grants.stream().map(CompiledGrant::grant).filter(g -> g.activeAt(now) && !ledger.isUsed(g)).toList();
    }

    /** A network grant that opens the name on its port, without using it up. */
    Optional<Decision> peekName(String name) {
        Instant now = Instant.now();
        for (CompiledGrant g : grants) {
            if (g.grant().scope() == Grant.Scope.NETWORK && g.grant().activeAt(now) && !ledger.isUsed(g.grant())
                    && g.matcher().matches(new HostPort(name, g.matcher().port().orElse(443)))) {
                return Optional.of(allow(g.grant()));
            }
        }
        return Optional.empty();
    }

    /** The first active grant of the scope that matches, taken from the ledger. */
    Optional<Decision> take(Grant.Scope scope, String owner, Subject subject) {
        if (grants.isEmpty()) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        for (CompiledGrant g : grants) {
            if (g.grant().scope() != scope || !g.grant().activeAt(now) || (owner != null && !owner.equals(g.owner()))
                    || !g.matches(subject) || ledger.isUsed(g.grant())) {
                continue;
            }
            if (ledger.use(g.grant())) {
                return Optional.of(allow(g.grant()));
            }
        }
        return Optional.empty();
    }

    private static Decision allow(Grant g) {
        return Decision.allow(Reasons.ALLOWED_BY_GRANT, "grant " + g.id() + ": " + g.pattern());
    }

    /** A grant with its pattern compiled by the matcher of its scope. */
    private record CompiledGrant(Grant grant, String owner, Matcher matcher) {

        static CompiledGrant of(Grant g) {
            String p = g.pattern().strip();
            return switch (g.scope()) {
                case NETWORK -> new CompiledGrant(g, null, MatcherRegistry.instance().parse(MatcherScope.NETWORK, p));
                case MCP -> {
                    int slash = p.indexOf('/');
                    if (slash <= 0 || slash == p.length() - 1) {
                        throw new IllegalArgumentException("an MCP grant is 'server/tool-glob'");
                    }
                    yield new CompiledGrant(g, p.substring(0, slash),
                            MatcherRegistry.instance().parse(MatcherScope.MCP_NAME, p.substring(slash + 1)));
                }
                case CLI -> {
                    String[] parts = p.split("\\s+", 2);
                    if (parts.length < 2) {
                        throw new IllegalArgumentException("a CLI grant is 'tool command-pattern'");
                    }
                    yield new CompiledGrant(g, parts[0],
                            MatcherRegistry.instance().parse(MatcherScope.CLI_COMMAND, parts[1]));
                }
            };
        }

        boolean matches(Subject subject) {
            if (grant.scope() == Grant.Scope.NETWORK && subject instanceof HostPort target) {
                return matcher.matches(target)
                        && (matcher.port().isPresent() || Policy.DEFAULT_PORTS.contains(target.port()));
            }
            return matcher.matches(subject);
        }
    }
}
