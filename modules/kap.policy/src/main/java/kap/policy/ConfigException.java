package kap.policy;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration that cannot be applied. The message lists every error, one per line, each with file and line.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<ConfigProblem> problems;

    /**
     * Creates the exception.
     *
     * @param problems the errors (and any warnings), at least one error
     */
    public ConfigException(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    /**
     * The problems, errors and warnings, in file order.
     *
     * @return problems
     */
    public List<ConfigProblem> problems() {
        return problems;
    }
}
