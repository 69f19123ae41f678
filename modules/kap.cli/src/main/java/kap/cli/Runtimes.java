package kap.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.ServiceLoader;

import kap.cli.spi.CapsuleRegistry;
import kap.cli.spi.RuntimeContext;
import kap.cli.spi.RuntimeProvider;

/**
 * The container runtimes found on the module path, and what the CLI shares with them.
 */
final class Runtimes {

    private Runtimes() {
    }

    /**
     * A runtime by name.
     *
     * @param name such as {@code namespace}
     * @return the provider, or empty if this build has none of that name
     */
    static Optional<RuntimeProvider> provider(String name) {
        return ServiceLoader.load(RuntimeProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * The context for runtimes: {@code ~/.kap}, this process's environment, stderr, and the capsule registry under
     * {@code capsules/}.
     *
     * @return context
     */
    static RuntimeContext context() {
        Path home = Path.of(System.getProperty("user.home", "."), ".kap");
        return new RuntimeContext(home, System.getenv(), System.err, new CapsuleRegistry(home.resolve("capsules")));
    }
}
