package kap.policy;

import java.nio.file.Path;
import java.util.Objects;

/**
 * {@code [proxy.observe]}: the audit log.
 *
 * @param log path of the JSON-lines audit log; default {@code /var/log/kap/proxy.jsonl}
 * @param logMaxBytes size at which the log rotates; default 10 MiB
 * @param logKeep rotated files kept ({@code proxy.jsonl.1} ...); default 3
 */
public record ObserveConfig(Path log, long logMaxBytes, int logKeep) {

    /** Default log path inside the sidecar container. */
    public static final Path DEFAULT_LOG = Path.of("/var/log/kap/proxy.jsonl");

    /**
     * Validates the values.
     *
     * @throws IllegalArgumentException if a limit is not positive
     */
    public ObserveConfig {
        Objects.requireNonNull(log, "log");
        if (logMaxBytes < 1024) {
            throw new IllegalArgumentException("log_max_bytes must be at least 1024");
        }
        if (logKeep < 1 || logKeep > 100) {
            throw new IllegalArgumentException("log_keep must be between 1 and 100");
        }
    }
}
