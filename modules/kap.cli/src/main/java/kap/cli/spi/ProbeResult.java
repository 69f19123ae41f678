package kap.cli.spi;

import java.util.Objects;

/**
 * One isolation probe's outcome.
 *
 * @param name what was tried, such as {@code direct TCP to 192.0.2.10:80}
 * @param passed {@code true} when the way out was closed, as it must be
 * @param detail what happened, for a human
 */
public record ProbeResult(String name, boolean passed, String detail) {

    /**
     * Validates the record.
     */
    public ProbeResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(detail, "detail");
    }
}
