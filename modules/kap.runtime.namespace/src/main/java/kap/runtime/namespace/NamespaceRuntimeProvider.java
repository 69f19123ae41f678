package kap.runtime.namespace;

import kap.cli.spi.CapsuleRuntime;
import kap.cli.spi.RuntimeContext;
import kap.cli.spi.RuntimeProvider;

/**
 * The {@code namespace} runtime: {@code kap run -- CMD} in rootless Linux namespaces, no Docker.
 */
public final class NamespaceRuntimeProvider implements RuntimeProvider {

    /** The runtime's name. */
    static final String NAME = "namespace";

    /**
     * Required public constructor for ServiceLoader.
     */
    public NamespaceRuntimeProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Quick checks of files only (no process is started): Linux, a known machine, util-linux, and the kernel's
     * user-namespace switches. {@code kap run} still tries the namespaces once before it starts, and explains a
     * refusal then.
     *
     * @return availability with the cause and the fix
     */
    @Override
    public Availability availability() {
        return Support.blocker(Host.current(System.getenv()))
                .map(reason -> new Availability(false, reason))
                .orElseGet(() -> new Availability(true, "unshare(1) user, network, mount and PID namespaces"));
    }

    @Override
    public CapsuleRuntime create(RuntimeContext context) {
        return new NamespaceRuntime(context);
    }
}
