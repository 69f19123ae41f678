package kap.policy.internal;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;

import kap.policy.spi.Matcher;
import kap.policy.spi.MatcherProvider;
import kap.policy.spi.MatcherScope;

/**
 * The matcher providers found by {@link ServiceLoader}, grouped by scope and ordered by weight.
 */
public final class MatcherRegistry {

    private static final MatcherRegistry INSTANCE = new MatcherRegistry(ServiceLoader.load(MatcherProvider.class)
            .stream().map(ServiceLoader.Provider::get).toList());

    private final Map<MatcherScope, List<MatcherProvider>> byScope = new EnumMap<>(MatcherScope.class);

    MatcherRegistry(List<MatcherProvider> providers) {
        for (MatcherScope scope : MatcherScope.values()) {
            byScope.put(scope, providers.stream().filter(p -> p.scope() == scope)
                    .sorted(Comparator.comparingInt(MatcherProvider::weight)).toList());
        }
    }

    /**
     * The registry of every provider on the module path.
     *
     * @return registry
     */
    public static MatcherRegistry instance() {
        return INSTANCE;
    }

    /**
     * Parses a pattern with the first provider of its scope that claims it.
     *
     * @param scope where the pattern was written
     * @param pattern the pattern
     * @return the matcher
     * @throws IllegalArgumentException if no provider claims the pattern or the claiming provider rejects it
     */
    public Matcher parse(MatcherScope scope, String pattern) {
        String trimmed = pattern.strip();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("empty pattern");
        }
        Function<String, Matcher> others = sub -> parse(scope, sub);
        for (MatcherProvider provider : byScope.get(scope)) {
            if (provider.claims(trimmed)) {
                return provider.parse(trimmed, others);
            }
        }
        throw new IllegalArgumentException("no matcher understands '" + pattern + "'");
    }
}
