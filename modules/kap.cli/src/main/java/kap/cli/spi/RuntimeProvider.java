package kap.cli.spi;

/**
 * One way of running capsules.
 *
 * <p>Implementations are {@code public final} with a public no-argument constructor, live in their own provider
 * module that exports nothing, and are stateless: all state lives in the {@link CapsuleRuntime} they create.
 */
public interface RuntimeProvider {

    /**
     * A stable name, such as {@code docker} or {@code namespace}; used in {@code kap list} and in capsule records.
     *
     * @return name, never {@code null}
     */
    String name();

    /**
     * Whether this runtime can run here now, and if not, why (the Docker socket is unreachable, user namespaces are
     * disabled...). Must be quick and must not throw.
     *
     * @return availability with a reason
     */
    Availability availability();

    /**
     * Creates the runtime.
     *
     * @param context what the CLI shares with runtimes
     * @return the runtime
     */
    CapsuleRuntime create(RuntimeContext context);

    /**
     * Whether a runtime can be used, with a reason a user can act on.
     *
     * @param available {@code true} if it can run capsules here
     * @param reason why not, or a short description of what it uses, such as {@code unix:///var/run/docker.sock}
     */
    record Availability(boolean available, String reason) {
    }
}
