package kap.runtime.namespace;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Takes every privilege away from the calling thread, so that a process it starts has none: no capabilities now or
 * after {@code execve} (also as uid 0), no way to gain any ({@code no_new_privs}), and the {@link SeccompFilter}.
 *
 * <p>Credentials, securebits, {@code no_new_privs} and seccomp filters belong to a thread in Linux, and a child
 * inherits them from the thread that forks it. The bridge keeps its own capabilities on its other threads (it needs
 * them for nothing after set-up, but the command must not be able to take the bridge's over) and starts the command
 * from one locked-down thread.
 */
final class Lockdown {

    private static final int PR_SET_SECCOMP = 22;
    private static final int PR_CAPBSET_DROP = 24;
    private static final int PR_SET_SECUREBITS = 28;
    private static final int PR_SET_NO_NEW_PRIVS = 38;
    private static final int PR_CAP_AMBIENT = 47;
    private static final int PR_CAP_AMBIENT_CLEAR_ALL = 4;
    private static final int SECCOMP_MODE_FILTER = 2;
    /** NOROOT and its lock, NO_CAP_AMBIENT_RAISE and its lock: uid 0 gains nothing from {@code execve}. */
    private static final long SECUREBITS = (1 << 0) | (1 << 1) | (1 << 6) | (1 << 7);
    private static final int CAPABILITY_VERSION_3 = 0x20080522;
    private static final int EINVAL = 22;

    private Lockdown() {
    }

    /**
     * Locks the calling thread down.
     *
     * @param allowUnixSockets leave {@code socket(AF_UNIX)} allowed
     * @throws NativeException if the kernel refuses a step
     * @throws IllegalStateException on a machine the filter does not know
     */
    static void apply(boolean allowUnixSockets) {
        SeccompFilter.Machine machine = SeccompFilter.Machine.current();
        if (machine == null) {
            throw new IllegalStateException("kap run's system-call filter knows x86_64 and aarch64, not "
                    + System.getProperty("os.arch"));
        }
        Libc.prctl(PR_SET_SECUREBITS, SECUREBITS, 0, 0, 0);
        Libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
        clearInheritable();
        dropBoundingSet();
        Libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
        byte[] program = SeccompFilter.program(machine, allowUnixSockets);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment filter = arena.allocate(program.length, 8);
            MemorySegment.copy(MemorySegment.ofArray(program), 0, filter, 0, program.length);
            // struct sock_fprog { unsigned short len; struct sock_filter *filter; }
            MemorySegment fprog = arena.allocate(16, 8);
            fprog.set(JAVA_SHORT, 0, (short) (program.length / 8));
            fprog.set(ADDRESS, 8, filter);
            Libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, fprog.address(), 0, 0);
        }
    }

    /**
     * Starts a process from a fresh platform thread that has locked itself down first, so the process has every
     * privilege taken away, and the calling thread (and the rest of the bridge) keeps its own.
     *
     * @param builder what to start
     * @param allowUnixSockets leave {@code socket(AF_UNIX)} allowed
     * @return the process
     * @throws IOException if it cannot be started
     * @throws NativeException if the kernel refuses a step of the lockdown
     */
    static Process start(ProcessBuilder builder, boolean allowUnixSockets) throws IOException {
        CompletableFuture<Process> started = new CompletableFuture<>();
        Thread.ofPlatform().name("lockdown").start(() -> {
            try {
                apply(allowUnixSockets);
                started.complete(builder.start());
            } catch (IOException | RuntimeException e) {
                started.completeExceptionally(e);
            }
        });
        try {
            return started.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw (RuntimeException) e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    private static void clearInheritable() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment header = arena.allocate(8, 4);
            header.set(JAVA_INT, 0, CAPABILITY_VERSION_3);
            header.set(JAVA_INT, 4, 0);
            // two struct __user_cap_data_struct { effective, permitted, inheritable }
            MemorySegment data = arena.allocate(24, 4);
            Libc.capget(header, data);
            data.set(JAVA_INT, 8, 0);
            data.set(JAVA_INT, 20, 0);
            Libc.capset(header, data);
        }
    }

    private static void dropBoundingSet() {
        for (int cap = 0; cap <= lastCapability(); cap++) {
            try {
                Libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
            } catch (NativeException e) {
                if (e.errno() != EINVAL) {
                    throw e;
                }
                // a kernel older than the number we guessed: every capability it knows is dropped
                return;
            }
        }
    }

    private static int lastCapability() {
        try {
            return Integer.parseInt(ProcFiles.read(Path.of("/proc/sys/kernel/cap_last_cap")).trim());
        } catch (IOException | NumberFormatException e) {
            return 63;
        }
    }
}
