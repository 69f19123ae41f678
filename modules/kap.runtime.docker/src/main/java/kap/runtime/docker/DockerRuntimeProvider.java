package kap.runtime.docker;

import kap.cli.spi.CapsuleRuntime;
import kap.cli.spi.RuntimeContext;
import kap.cli.spi.RuntimeProvider;

/**
 * The {@code docker} runtime provider.
 */
public final class DockerRuntimeProvider implements RuntimeProvider {

    /**
     * Required public constructor for ServiceLoader.
     */
    public DockerRuntimeProvider() {
    }

    @Override
    public String name() {
        return DockerRuntime.NAME;
    }

    @Override
    public Availability availability() {
        return Engine.availability(System.getenv());
    }

    @Override
    public CapsuleRuntime create(RuntimeContext context) {
        return new DockerRuntime(Engine.connect(context.environment()), context);
    }
}
