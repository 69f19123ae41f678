package kap.policy;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * An error or warning found while loading {@code kap.toml}, naming the file, line and key.
 *
 * @param severity error (the file is not applied) or warning (it is, but something looks wrong)
 * @param file the file, or empty for the embedded default
 * @param line 1-based line, or 0 when the line is unknown
 * @param key dotted key path, such as {@code cli.tools[0].mode}, or empty for the whole file
 * @param message what is wrong and, where possible, how to fix it
 */
public record ConfigProblem(Severity severity, Optional<Path> file, int line, String key, String message) {

    /**
     * Validates the record.
     */
    public ConfigProblem {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message");
    }

    /**
     * {@code file:line: key: message}, the form compilers use, so editors can jump to it.
     *
     * @return formatted problem
     */
    @Override
    public String toString() {
        String where = file.map(Path::toString).orElse("embedded default") + (line > 0 ? ":" + line : "");
        return where + ": " + (severity == Severity.WARNING ? "warning: " : "") + (key.isEmpty() ? "" : key + ": ")
                + message;
    }

    /** How bad a problem is. */
    public enum Severity {
        /** The configuration is rejected. */
        ERROR,
        /** The configuration applies, but the user should look. */
        WARNING
    }
}
