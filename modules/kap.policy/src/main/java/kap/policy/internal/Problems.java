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

    /** Every problem so far, in file order: by file as first seen, then by line; whole-file problems last. */
    public List<ConfigProblem> all() {
        List<Optional<java.nio.file.Path>> files = list.stream().map(ConfigProblem::file).distinct().toList();
        return list.stream().sorted(java.util.Comparator
                        .comparingInt((ConfigProblem p) -> files.indexOf(p.file()))
                        .thenComparingInt(p -> p.line() == 0 ? Integer.MAX_VALUE : p.line()))
                .toList();
    }

    /** The warnings only, in file order. */
    public List<ConfigProblem> warnings() {
        return all().stream().filter(p -> p.severity() == Severity.WARNING).toList();
    }
}
