package kap.policy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One {@code [[cli.tools]]} entry.
 *
 * @param name tool name, also the shim's file name
 * @param mode proxy (default) or direct
 * @param allow command patterns allowed (proxy mode)
 * @param deny command patterns denied (proxy mode); a deny always wins
 * @param env names of environment variables passed to the tool from the sidecar environment and {@code .env}
 * @param timeout longest run; default 10 min
 * @param maxOutputBytes stdout plus stderr before the tool is stopped; default 64 MiB
 */
public record CliTool(String name, CliMode mode, List<Rule> allow, List<Rule> deny, List<String> env,
                      Duration timeout, long maxOutputBytes) {

    /**
     * Copies the lists.
     */
    public CliTool {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
        env = List.copyOf(env);
        Objects.requireNonNull(timeout, "timeout");
    }
}
