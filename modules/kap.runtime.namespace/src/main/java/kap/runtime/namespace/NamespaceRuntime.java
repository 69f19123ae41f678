package kap.runtime.namespace;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import kap.cli.spi.Capsule;
import kap.cli.spi.CapsuleRuntime;
import kap.cli.spi.CapsuleShell;
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

    /**
     * Runs the command and, once the capsule is down, ends this JVM with the command's exit code at once (see
     * {@link Libc#exit}): a JVM that has done virtual-thread socket I/O waits 300 ms at exit for its poller threads,
     * a third of {@code kap run -- true}'s whole start-up cost. A JVM recording an AOT cache exits normally, so that
     * the cache is written.
     */
    @Override
    public int run(RunRequest request) throws IOException {
        int code = new RunSession(context, Host.current(context.environment())).run(request);
        if (!Libc.recordingAotCache()) {
            System.out.flush();
            System.err.flush();
            Libc.exit(code);
        }
        return code;
    }

    /**
     * Runs commands in a running capsule through its {@code kap run}'s {@code exec.sock}: the bridge starts each one
     * inside, exactly as confined as the command (see {@link ExecServer}). Never on the host.
     */
    @Override
    public Optional<CapsuleShell> shell(Capsule capsule) {
        if (!capsule.runtime().equals(NamespaceRuntimeProvider.NAME)) {
            return Optional.empty();
        }
        return Optional.of((argv, timeout) -> ExecClient.run(capsule, context, argv, timeout));
    }
}
