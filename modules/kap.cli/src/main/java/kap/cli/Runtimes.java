package kap.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

import kap.cli.spi.CapsuleRegistry;
import kap.cli.spi.CapsuleRuntime;
import kap.cli.spi.ProjectRuntime;
import kap.cli.spi.RuntimeContext;
import kap.cli.spi.RuntimeProvider;

/**
 * Finds container runtimes through {@link ServiceLoader} and creates them with the CLI's context.
 */
final class Runtimes {

    /** The runtime {@code kap up} uses unless told otherwise. */
    static final String DEFAULT = "docker";

    private Runtimes() {
    }

    /** kap's state directory: the system property {@code kap.home}, else {@code KAP_HOME}, else {@code ~/.kap}. */
    static Path home(Map<String, String> env) {
        String override = System.getProperty("kap.home", env.get("KAP_HOME"));
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        return Path.of(System.getProperty("user.home"), ".kap");
    }

    /**
     * A runtime by name.
     *
     * @param name such as {@code namespace}
     * @return the provider, or empty if this build has none of that name
     */
    static Optional<RuntimeProvider> provider(String name) {
        return providers().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * The context for runtimes, with progress on stderr.
     *
     * @return context
     */
    static RuntimeContext context() {
        return context(System.err);
    }

    static RuntimeContext context(PrintStream progress) {
        Map<String, String> env = System.getenv();
        Path home = home(env);
        return new RuntimeContext(home, env, progress, new CapsuleRegistry(home.resolve("capsules")));
    }

    static List<RuntimeProvider> providers() {
        List<RuntimeProvider> result = new ArrayList<>();
        ServiceLoader.load(RuntimeProvider.class, Runtimes.class.getClassLoader()).forEach(result::add);
        return result;
    }

    /**
     * Every available runtime, for commands that look at all capsules.
     *
     * @param progress where progress lines go
     * @return runtimes
     */
    static List<CapsuleRuntime> available(PrintStream progress) {
        List<CapsuleRuntime> result = new ArrayList<>();
        for (RuntimeProvider p : providers()) {
            if (p.availability().available()) {
                result.add(p.create(context(progress)));
            }
        }
        return result;
    }

    /**
     * The named project runtime.
     *
     * @param name runtime name
     * @param progress where progress lines go
     * @return the runtime
     * @throws KapException if it is not installed, cannot run here or cannot bring up projects
     */
    static ProjectRuntime project(String name, PrintStream progress) {
        for (RuntimeProvider p : providers()) {
            if (!p.name().equals(name)) {
                continue;
            }
            RuntimeProvider.Availability a = p.availability();
            if (!a.available()) {
                throw new KapException("the " + name + " runtime cannot run here: " + a.reason());
            }
            if (p.create(context(progress)) instanceof ProjectRuntime r) {
                return r;
            }
            throw new KapException("the " + name + " runtime cannot bring up a devcontainer project");
        }
        throw new KapException("no " + name + " runtime in this kap (runtimes: "
                + String.join(", ", providers().stream().map(RuntimeProvider::name).toList()) + ")");
    }
}
