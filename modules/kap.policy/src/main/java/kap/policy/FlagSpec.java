package kap.policy;

import java.util.Map;
import java.util.Set;

/**
 * What is known about a CLI tool's flags, so that command lines can be read without ambiguity.
 *
 * @param valueFlags flags that always take a value, such as {@code --repo}
 * @param switches flags that never take a value, such as {@code --web}
 * @param aliases short or alternative names mapped to the canonical name written in patterns, such as
 *         {@code -X -> --method}
 */
public record FlagSpec(Set<String> valueFlags, Set<String> switches, Map<String, String> aliases) {

    /** Nothing known: every flag followed by a word is ambiguous. */
    public static final FlagSpec NONE = new FlagSpec(Set.of(), Set.of(), Map.of());

    /**
     * Copies the collections.
     */
    public FlagSpec {
        valueFlags = Set.copyOf(valueFlags);
        switches = Set.copyOf(switches);
        aliases = Map.copyOf(aliases);
    }

    /**
     * The canonical name of a flag.
     *
     * @param flag the flag as written
     * @return its canonical name
     */
    public String canonical(String flag) {
        return aliases.getOrDefault(flag, flag);
    }
}
