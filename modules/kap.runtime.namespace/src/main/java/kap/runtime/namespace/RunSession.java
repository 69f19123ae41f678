package kap.runtime.namespace;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import kap.cli.spi.Capsule;
import kap.cli.spi.RunRequest;
import kap.cli.spi.RuntimeContext;
import kap.policy.ConfigFiles;
import kap.policy.KapConfig;
import kap.runtime.namespace.ControlMessage.ExecResult;
import kap.runtime.namespace.ControlMessage.Exit;
import kap.runtime.namespace.ControlMessage.Failed;
import kap.runtime.namespace.ControlMessage.Plan;
import kap.runtime.namespace.ControlMessage.Signal;
import kap.runtime.namespace.ControlMessage.Started;
import kap.sidecar.Sidecar;

/**
 * One {@code kap run}, from start to clean-up. The sidecar starts on a background thread while the capsule's JVM
 * starts, so their start-up times overlap; the plan goes to the bridge once both are up. Everything is taken down in
 * {@code finally}: sockets, the capsule, the sidecar, the registry record and the runtime directory.
 */
final class RunSession {

    /** Exit code when kap, not the command, failed. */
    static final int KAP_FAILED = 125;
    /** How long the capsule may take to connect. */
    static final Duration BRIDGE_DEADLINE = Duration.ofSeconds(30);
    /** How long the command has to end after a forwarded SIGTERM before the capsule is killed. */
    static final Duration TERM_GRACE = Duration.ofSeconds(10);
    /** How long the capsule has to exit once the command has. */
    static final Duration EXIT_GRACE = Duration.ofSeconds(5);

    private final RuntimeContext context;
    private final Host host;
    private final PrintStream terminal;
    private final String id = "ns-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private volatile Process capsule;
    private volatile ControlChannel bridge;
    private volatile boolean planned;
    private volatile int abortedBy;

    RunSession(RuntimeContext context, Host host) {
        this.context = context;
        this.host = host;
        this.terminal = context.progress();
    }

    int run(RunRequest request) throws IOException {
        Support.blocker(host).ifPresent(reason -> {
            throw new Unshare.UnavailableException(reason);
        });
        ConfigFiles files = Policies.files(request, context);
        Path base = RuntimeDirs.base(context.environment(), context.home());
        Registrar registrar = new Registrar(context.registry());
        Path dir = RuntimeDirs.create(base, id);
        SignalForwarder.install(this::signal);
        try (SidecarLog log = SidecarLog.redirect(context.home().resolve("log").resolve("run.log"),
                id + " " + String.join(" ", request.command()))) {
            return runIn(dir, files, request, registrar, base);
        } catch (Aborted e) {
            return 128 + e.signal;
        } catch (IOException | RuntimeException e) {
            // a signal that ends the start-up makes the steps after it fail; the signal is the news
            if (abortedBy != 0) {
                return 128 + abortedBy;
            }
            throw e;
        } finally {
            RuntimeDirs.delete(dir);
        }
    }

    private int runIn(Path dir, ConfigFiles files, RunRequest request, Registrar registrar, Path base)
            throws IOException {
        Files.writeString(dir.resolve("resolv.conf"), "nameserver 127.0.0.1\n");
        Path shims = Files.createDirectory(dir.resolve("shims"));
        ClixHook.prepare(context.environment(), shims, request.workdir());
        SidecarStart sidecar = SidecarStart.begin(files);
        Sidecar running = null;
        HostRelay relay = null;
        ExecServer execs = null;
        try (ControlServer control = ControlServer.open(dir)) {
            long t0 = System.nanoTime();
            Unshare unshare = Unshare.probe(host);
            checkAborted();
            log("namespaces probed", t0);
            capsule = Launch.start(unshare, control.path(), request.workdir(), context.environment());
            // while the capsule's JVM starts: what a killed run left behind, and kap's homes to hide
            registrar.sweep();
            RuntimeDirs.sweep(base);
            List<Path> hidden = Policies.hidden(context);
            bridge = control.accept(capsule, BRIDGE_DEADLINE);
            log("bridge connected", t0);
            running = sidecar.await();
            checkAborted();
            log("sidecar ready", t0);
            relay = HostRelay.start(dir, SidecarStart.listeners(running));
            KapConfig config = running.policy().current().config();
            running.policy().warnings().forEach(w -> terminal.println("kap: [config] " + w));
            plan(new Plan(id, request.workdir(), request.command(),
                    Planner.environment(context.environment(), id, shims, request.unsafeAllowUnixSockets()),
                    Planner.mounts(config, request.workdir(), context.environment(), hidden, dir),
                    request.unsafeAllowUnixSockets(), SidecarStart.listeners(running).keySet()));
            // before the record: whoever finds the capsule can reach into it
            execs = ExecServer.open(dir, bridge);
            registrar.put(record(request, dir, running));
            int code = follow(execs);
            log("command ended with " + code, t0);
            return code;
        } finally {
            long t1 = System.nanoTime();
            if (execs != null) {
                execs.close();
            }
            if (relay != null) {
                relay.close();
            }
            stopCapsule();
            log("capsule stopped", t1);
            sidecar.close();
            registrar.remove(id);
            log("sidecar stopped", t1);
        }
    }

    private static void log(String what, long since) {
        // looked up each time: a logger made before the sidecar log took stderr would write to the terminal
        System.getLogger("kap.run").log(System.Logger.Level.INFO, () -> "[run] " + what + " after "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since) + " ms");
    }

    /**
     * Reads the bridge's reports until the command's exit code arrives or the capsule dies, handing the results of
     * execs to those waiting for them.
     */
    private int follow(ExecServer execs) {
        try {
            Optional<ControlMessage> message;
            while ((message = bridge.receive()).isPresent()) {
                switch (message.get()) {
                    case Started s -> {
                        // signals already go to the bridge, which holds them until the command runs
                    }
                    case Exit e -> {
                        return e.code();
                    }
                    case Failed f -> {
                        terminal.println("kap: " + f.message());
                        return f.code();
                    }
                    case ExecResult r -> execs.complete(r);
                    default -> {
                        // the host's own messages never come back
                    }
                }
            }
        } catch (IOException e) {
            // the capsule died without a word: its exit status says how
        }
        return ended();
    }

    private int ended() {
        Process c = capsule;
        try {
            if (!c.waitFor(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                c.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return abortedBy != 0 ? 128 + abortedBy : c.isAlive() ? KAP_FAILED : c.exitValue();
    }

    /** Sends the plan; from then on, signals are the command's. */
    private synchronized void plan(Plan plan) throws IOException {
        bridge.send(plan);
        planned = true;
    }

    /**
     * A signal for {@code kap}: the command's once the bridge has its plan (the bridge delivers it as soon as the
     * command runs); before that, it ends the start-up.
     */
    private void signal(int number) {
        synchronized (this) {
            if (planned) {
                try {
                    bridge.send(new Signal(number));
                } catch (IOException e) {
                    // the capsule is ending anyway
                }
                if (number == SignalForwarder.SIGTERM) {
                    Thread.ofVirtual().start(this::killAfterGrace);
                }
                return;
            }
        }
        abortedBy = number;
        Process c = capsule;
        if (c != null) {
            c.destroyForcibly();
        }
    }

    private void killAfterGrace() {
        Process c = capsule;
        try {
            if (!c.waitFor(TERM_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                terminal.println("kap: the command did not end within " + TERM_GRACE.toSeconds()
                        + " s of SIGTERM; killing the capsule");
                c.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stopCapsule() {
        ControlChannel b = bridge;
        if (b != null) {
            Pump.closeQuietly(b);
        }
        Process c = capsule;
        if (c != null) {
            // a bridge that records its AOT cache (the image build) writes it as it exits, which takes a while
            Duration grace = context.environment().containsKey(Launch.TRAIN_VARIABLE) ? Duration.ofMinutes(2)
                    : EXIT_GRACE;
            try {
                if (!c.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    c.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                c.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private void checkAborted() {
        if (abortedBy != 0) {
            throw new Aborted(abortedBy);
        }
    }

    private Capsule record(RunRequest request, Path dir, Sidecar sidecar) {
        Path workdir = request.workdir();
        String command = String.join(" ", request.command());
        return new Capsule(id, NamespaceRuntimeProvider.NAME,
                workdir.getFileName() == null ? "/" : workdir.getFileName().toString(), workdir,
                Capsule.State.RUNNING, Optional.of(URI.create("http://127.0.0.1:" + sidecar.adminAddress().getPort())),
                Optional.of(sidecar.audit().file()), Instant.now(), Map.of(
                        Registrar.PID, Long.toString(ProcessHandle.current().pid()),
                        "runtime_dir", dir.toString(),
                        "command", command.length() > 200 ? command.substring(0, 200) + "..." : command));
    }

    /** A signal arrived before the command started: stop setting up and exit 128 + N. */
    private static final class Aborted extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final int signal;

        Aborted(int signal) {
            super("signal " + signal, null, false, false);
            this.signal = signal;
        }
    }
}
