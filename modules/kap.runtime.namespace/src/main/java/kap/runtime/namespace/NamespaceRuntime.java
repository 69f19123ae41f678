package kap.runtime.namespace;

import java.io.IOException;
import java.util.List;

import kap.cli.spi.Capsule;
import kap.cli.spi.CapsuleRuntime;
import kap.cli.spi.RunRequest;
import kap.cli.spi.RuntimeContext;

/**
 * The namespace runtime's view of its capsules, and {@code kap run}.
 */
final class NamespaceRuntime implements CapsuleRuntime {

    private final RuntimeContext context;

    NamespaceRuntime(RuntimeContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return NamespaceRuntimeProvider.NAME;
    }

    @Override
    public List<Capsule> capsules() throws IOException {
        return new Registrar(context.registry()).capsules();
    }

    @Override
    public int run(RunRequest request) throws IOException {
        return new RunSession(context, Host.current(context.environment())).run(request);
    }
}
