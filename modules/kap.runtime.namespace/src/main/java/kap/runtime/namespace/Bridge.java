package kap.runtime.namespace;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import kap.runtime.namespace.CommandLocator.CommandException;
import kap.runtime.namespace.ControlMessage.Exec;
import kap.runtime.namespace.ControlMessage.Exit;
import kap.runtime.namespace.ControlMessage.Failed;
import kap.runtime.namespace.ControlMessage.Plan;
import kap.runtime.namespace.ControlMessage.Signal;
import kap.runtime.namespace.ControlMessage.Started;

/**
 * The bridge's life, inside the capsule as its PID 1: take the plan, set the capsule up, listen, start the command
 * from a locked-down thread, relay signals to it, run the host's {@link Exec}s beside it ({@link BridgeExec}), and
 * report its exit code. When the bridge exits, the kernel kills whatever else runs in the capsule.
 */
final class Bridge {

    /** Exit code when kap could not set the capsule up. */
    static final int SETUP_FAILED = 125;
    private static final int SIGKILL = 9;

    private final ControlChannel control;
    private final CompletableFuture<Void> loopback;

    private Bridge(ControlChannel control, CompletableFuture<Void> loopback) {
        this.control = control;
        this.loopback = loopback;
    }

    /**
     * Runs the bridge to the end.
     *
     * @param controlSocket the host's control socket
     * @return the exit code for the bridge process
     */
    static int run(Path controlSocket) {
        // loopback needs no plan: bring it up (and pay for the first libc call) while the JVM connects and the host
        // finishes starting the sidecar
        CompletableFuture<Void> loopback = CompletableFuture.runAsync(Loopback::up, Thread.ofPlatform()::start);
        try (ControlChannel control = new ControlChannel(
                SocketChannel.open(UnixDomainSocketAddress.of(controlSocket)))) {
            return new Bridge(control, loopback).run();
        } catch (IOException e) {
            System.err.println("kap: the capsule lost its control connection: " + e.getMessage());
            return SETUP_FAILED;
        }
    }


    private int run() throws IOException {
        Optional<ControlMessage> first = control.receive();
        if (first.isEmpty() || !(first.get() instanceof Plan plan)) {
            // the host gave up before the plan (the sidecar did not start) and says why itself
            return SETUP_FAILED;
        }
        BridgeListeners listeners;
        try {
            loopback.join();
            Mounts.apply(plan.mounts());
            listeners = BridgeListeners.start(plan.services(), plan.mounts().runtimeDir());
        } catch (CompletionException e) {
            return fail(SETUP_FAILED, "cannot set the capsule up: " + e.getCause().getMessage());
        } catch (IOException | RuntimeException e) {
            return fail(SETUP_FAILED, "cannot set the capsule up: " + e.getMessage());
        }
        try (listeners) {
            Process command;
            try {
                command = start(plan);
            } catch (CommandException e) {
                return fail(e.exitCode(), e.getMessage());
            } catch (IOException | RuntimeException e) {
                return fail(SETUP_FAILED, "cannot start " + plan.command().getFirst() + ": " + e.getMessage());
            }
            control.send(new Started(command.pid()));
            BridgeExec execs = new BridgeExec(plan, control);
            Reaper.start(pid -> pid == command.pid() || execs.spares(pid));
            Thread.ofVirtual().name("control").start(() -> relay(command, execs));
            int code = waitFor(command);
            control.send(new Exit(code));
            return code;
        }
    }

    private int fail(int code, String message) {
        try {
            control.send(new Failed(code, message));
        } catch (IOException e) {
            System.err.println("kap: " + message);
        }
        return code;
    }

    /** Starts the command from a fresh thread that has given up every privilege; the command inherits that. */
    private static Process start(Plan plan) throws IOException {
        Map<String, String> environment = environment(plan.environment());
        Path program = CommandLocator.locate(plan.command().getFirst(), plan.workdir(),
                Optional.ofNullable(environment.get("PATH")));
        List<String> argv = new ArrayList<>(plan.command());
        argv.set(0, program.toString());
        ProcessBuilder builder = new ProcessBuilder(argv).directory(plan.workdir().toFile()).inheritIO();
        builder.environment().clear();
        builder.environment().putAll(environment);
        return Lockdown.start(builder, plan.allowUnixSockets());
    }

    static Map<String, String> environment(List<String> entries) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                environment.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return environment;
    }

    /**
     * Host messages after the start: signals for the command, commands to run beside it; the end of the stream means
     * "stop everything".
     */
    private void relay(Process command, BridgeExec execs) {
        try {
            Optional<ControlMessage> message;
            while ((message = control.receive()).isPresent()) {
                switch (message.get()) {
                    case Signal signal when command.isAlive() -> {
                        try {
                            Libc.kill((int) command.pid(), signal.number());
                        } catch (NativeException e) {
                            // it has just exited
                        }
                    }
                    case Exec exec -> execs.submit(exec);
                    default -> {
                        // nothing else comes after the plan
                    }
                }
            }
        } catch (IOException e) {
            // the host is gone: same as the end of the stream
        }
        if (command.isAlive()) {
            Libc.kill((int) command.pid(), SIGKILL);
        }
    }

    private static int waitFor(Process command) {
        while (true) {
            try {
                return command.waitFor();
            } catch (InterruptedException e) {
                // nothing interrupts the bridge's main thread on purpose; keep waiting
            }
        }
    }
}
