package kap.runtime.namespace;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import kap.runtime.namespace.CommandLocator.CommandException;
import kap.runtime.namespace.ControlMessage.Exec;
import kap.runtime.namespace.ControlMessage.ExecResult;
import kap.runtime.namespace.ControlMessage.Plan;

/**
 * Runs the host's {@link Exec}s in the capsule, beside the command and exactly as confined as it: started from a
 * fresh thread that has run {@link Lockdown#apply} with the plan's setting, with the plan's environment and working
 * directory, as the command's user. Standard input is {@code /dev/null}; the output is collected, each stream up to
 * {@link ExecResult#MAX_OUTPUT}. At the timeout only the process itself is killed, never its process group: what it
 * started in the background ({@code nohup claude ... &}) lives on in the capsule, which ends with the command.
 */
final class BridgeExec {

    /** Execs at once; more are refused until one ends. */
    static final int MAX_RUNNING = 16;
    /** How long the output may stay open once the process has ended (a background child may hold it). */
    static final Duration OUTPUT_GRACE = Duration.ofSeconds(2);
    /** How long a killed process may take to go. */
    static final Duration KILL_WAIT = Duration.ofSeconds(5);
    /** Exit code when kap could not run it at all. */
    static final int REFUSED = 125;

    private final Plan plan;
    private final ControlChannel control;
    private final Map<String, String> environment;
    private final Set<Long> running = ConcurrentHashMap.newKeySet();
    private final AtomicInteger starting = new AtomicInteger();
    private final Semaphore slots = new Semaphore(MAX_RUNNING);

    BridgeExec(Plan plan, ControlChannel control) {
        this.plan = plan;
        this.control = control;
        this.environment = Bridge.environment(plan.environment());
    }

    /**
     * Runs one, on its own thread, and sends its {@link ExecResult} when it is done.
     *
     * @param exec what to run
     */
    void submit(Exec exec) {
        if (!slots.tryAcquire()) {
            reply(refused(exec, REFUSED, "kap: " + MAX_RUNNING + " commands already run in this capsule; try again"));
            return;
        }
        Thread.ofVirtual().name("exec-" + exec.id()).start(() -> {
            ExecResult result;
            try {
                result = run(exec);
            } catch (RuntimeException e) {
                // the host waits for an answer: a bug here must not leave it waiting until its deadline
                result = refused(exec, REFUSED, "kap: " + e);
            }
            reply(result);
        });
    }

    /**
     * Whether the JVM waits for this process itself, so that the {@link Reaper} must leave its exit status alone.
     * While one is being started its PID is not known yet, so every PID is spared until it is.
     *
     * @param pid a zombie child of the bridge
     * @return {@code true} to leave it
     */
    boolean spares(long pid) {
        return starting.get() > 0 || running.contains(pid);
    }

    private ExecResult run(Exec exec) {
        Process process;
        starting.incrementAndGet();
        try {
            process = start(exec.argv());
            running.add(process.pid());
        } catch (CommandException e) {
            slots.release();
            return refused(exec, e.exitCode(), "kap: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            slots.release();
            return refused(exec, CommandLocator.NOT_EXECUTABLE, "kap: cannot start " + exec.argv().getFirst()
                    + ": " + e.getMessage());
        } finally {
            starting.decrementAndGet();
        }
        // the slot is free once the output is closed too: a background child that holds it keeps its reader
        AtomicInteger open = new AtomicInteger(2);
        Runnable closed = () -> {
            if (open.decrementAndGet() == 0) {
                slots.release();
            }
        };
        Capture out = Capture.start(process.getInputStream(), "stdout", closed);
        Capture err = Capture.start(process.getErrorStream(), "stderr", closed);
        try {
            boolean timedOut = !waitFor(process, exec.timeoutMillis());
            if (timedOut) {
                process.destroyForcibly();
                waitFor(process, KILL_WAIT.toMillis());
            }
            long grace = System.nanoTime() + OUTPUT_GRACE.toNanos();
            boolean drained = out.await(grace) & err.await(grace);
            StringBuilder notes = new StringBuilder();
            out.truncation().ifPresent(notes::append);
            err.truncation().ifPresent(notes::append);
            if (!drained) {
                notes.append("kap: the output stayed open after the command ended (a background process holds it);"
                        + " this is what it had written\n");
            }
            if (timedOut) {
                notes.append("kap: the command did not finish within ").append(exec.timeoutMillis())
                        .append(" ms and was killed\n");
            }
            // a process stuck in the kernel outlives even SIGKILL for a while; it counts as killed
            int code = process.isAlive() ? 128 + 9 : process.exitValue();
            return new ExecResult(exec.id(), code, timedOut, out.bytes(),
                    withNotes(err.bytes(), notes.toString()));
        } finally {
            running.remove(process.pid());
        }
    }

    private Process start(List<String> command) throws IOException {
        Path program = CommandLocator.locate(command.getFirst(), plan.workdir(),
                Optional.ofNullable(environment.get("PATH")));
        List<String> argv = new ArrayList<>(command);
        argv.set(0, program.toString());
        ProcessBuilder builder = new ProcessBuilder(argv).directory(plan.workdir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(environment);
        return Lockdown.start(builder, plan.allowUnixSockets());
    }

    /** Waits at most millis (at most {@link Exec#MAX_TIMEOUT}); whether it ended. */
    private static boolean waitFor(Process process, long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            try {
                return process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                // nothing interrupts an exec's thread on purpose; keep waiting
            }
        }
    }

    private static byte[] withNotes(byte[] stderr, String notes) {
        byte[] note = notes.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(note.length, ExecResult.MAX_NOTES);
        byte[] all = java.util.Arrays.copyOf(stderr, stderr.length + length);
        System.arraycopy(note, 0, all, stderr.length, length);
        return all;
    }

    private static ExecResult refused(Exec exec, int code, String message) {
        return new ExecResult(exec.id(), code, false, new byte[0], withNotes(new byte[0], message + "\n"));
    }

    private void reply(ExecResult result) {
        try {
            control.send(result);
        } catch (IOException e) {
            // the host is gone, and the capsule with it
        }
    }
}
