package kap.policy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
 * @param preset the known-tool preset ({@code gh}, {@code aws}, {@code kubectl}, or {@code none}) whose flags, default
 *         variables and deny rules apply; empty means the preset named like the tool, if there is one. The CLI proxy
 *         knows the presets; an unknown name denies every command of the tool
 * @param fixedArgs arguments the sidecar puts before the agent's (proxy mode), such as an {@code --endpoint-url} the
 *         agent may not choose; {@code ${NAME}} is replaced by that variable from the sidecar's environment or
 *         {@code .env}
 */
public record CliTool(String name, CliMode mode, List<Rule> allow, List<Rule> deny, List<String> env,
                      Duration timeout, long maxOutputBytes, Optional<String> preset, List<String> fixedArgs) {

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
        Objects.requireNonNull(preset, "preset");
        fixedArgs = List.copyOf(fixedArgs);
    }

    /**
     * A tool without a preset choice or fixed arguments.
     *
     * @param name tool name
     * @param mode mode
     * @param allow allow patterns
     * @param deny deny patterns
     * @param env variable names
     * @param timeout longest run
     * @param maxOutputBytes output limit
     */
    public CliTool(String name, CliMode mode, List<Rule> allow, List<Rule> deny, List<String> env, Duration timeout,
                   long maxOutputBytes) {
        this(name, mode, allow, deny, env, timeout, maxOutputBytes, Optional.empty(), List.of());
    }
}
