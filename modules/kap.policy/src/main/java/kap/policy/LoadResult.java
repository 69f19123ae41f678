package kap.policy;

import java.util.List;
import java.util.Objects;

/**
 * A loaded configuration and the warnings found on the way.
 *
 * @param config the validated configuration
 * @param warnings warnings such as unknown keys, in file order
 */
public record LoadResult(KapConfig config, List<ConfigProblem> warnings) {

    /**
     * Copies the list.
     */
    public LoadResult {
        Objects.requireNonNull(config, "config");
        warnings = List.copyOf(warnings);
    }
}
