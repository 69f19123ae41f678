package kap.policy;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A reload that did not apply; the last good policy stayed in force.
 *
 * @param at when the reload was tried
 * @param message what went wrong, one problem per line
 * @param problems the problems found, if the file was read
 */
public record ReloadFailure(Instant at, String message, List<ConfigProblem> problems) {

    /**
     * Copies the list.
     */
    public ReloadFailure {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(message, "message");
        problems = List.copyOf(problems);
    }
}
