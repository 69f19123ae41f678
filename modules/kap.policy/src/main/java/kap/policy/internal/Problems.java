package kap.policy.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import kap.policy.ConfigProblem;
import kap.policy.ConfigProblem.Severity;

/**
 * Collects errors and warnings while a configuration is read, so the user sees all of them at once.
 */
public final class Problems {

    private final List<ConfigProblem> list = new ArrayList<>();

    /** Records an error. */
    public void error(Origin origin, String key, String message) {
        list.add(new ConfigProblem(Severity.ERROR, Optional.ofNullable(origin.file()), origin.line(), key, message));
    }

    /** Records a warning. */
    public void warn(Origin origin, String key, String message) {
        list.add(new ConfigProblem(Severity.WARNING, Optional.ofNullable(origin.file()), origin.line(), key, message));
    }

    /** Whether any error was recorded. */
    public boolean hasErrors() {
        return list.stream().anyMatch(p -> p.severity() == Severity.ERROR);
    }

    /** Every problem so far. */
    public List<ConfigProblem> all() {
        return List.copyOf(list);
    }

    /** The warnings only. */
    public List<ConfigProblem> warnings() {
        return list.stream().filter(p -> p.severity() == Severity.WARNING).toList();
    }
}
