package kap.cli.spi;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What the CLI shares with runtimes.
 *
 * @param home kap's state directory, {@code ~/.kap} by default
 * @param environment the CLI's environment
 * @param progress where progress lines go (stderr), respecting {@code NO_COLOR}
 * @param registry the capsule registry
 */
public record RuntimeContext(Path home, Map<String, String> environment, PrintStream progress,
                             CapsuleRegistry registry) {

    /**
     * Validates the record.
     */
    public RuntimeContext {
        Objects.requireNonNull(home, "home");
        environment = Map.copyOf(environment);
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(registry, "registry");
    }
}
