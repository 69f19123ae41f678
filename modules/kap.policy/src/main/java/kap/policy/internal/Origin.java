package kap.policy.internal;

import java.nio.file.Path;

/**
 * Where a value was written: a file and a 1-based line, or line 0 when unknown.
 *
 * @param file the file, or {@code null} for the embedded default
 * @param line 1-based line, or 0
 */
public record Origin(Path file, int line) {

    /** Origin of values that come from the embedded default policy. */
    public static final Origin EMBEDDED = new Origin(null, 0);

    @Override
    public String toString() {
        if (file == null) {
            return "embedded default";
        }
        return line > 0 ? file + ":" + line : file.toString();
    }
}
