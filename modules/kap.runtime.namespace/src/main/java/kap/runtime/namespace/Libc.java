package kap.runtime.namespace;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The few libc calls {@code kap run} needs, through the FFM API, each capturing {@code errno}. Every call that fails
 * throws {@link NativeException} naming the call and the error; none returns a failure code. A function is linked on
 * its first call: linking costs milliseconds each in a fresh JVM, and the host uses only {@code _exit}.
 *
 * <p>Linking and reinterpreting are restricted methods: the launchers grant this module native access.
 */
@SuppressWarnings("restricted")
final class Libc {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /** Each function: its descriptor, and where its variadic arguments start (-1 for none). */
    private static final Map<String, Signature> SIGNATURES = Map.ofEntries(
            Map.entry("socket", new Signature(FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), -1)),
            Map.entry("ioctl", new Signature(FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), 2)),
            Map.entry("close", new Signature(FunctionDescriptor.of(JAVA_INT, JAVA_INT), -1)),
            Map.entry("mount", new Signature(FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG,
                    ADDRESS), -1)),
            Map.entry("statvfs", new Signature(FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), -1)),
            Map.entry("open", new Signature(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), 2)),
            Map.entry("prctl", new Signature(FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG,
                    JAVA_LONG, JAVA_LONG), 1)),
            Map.entry("capget", new Signature(FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), -1)),
            Map.entry("capset", new Signature(FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), -1)),
            Map.entry("kill", new Signature(FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), -1)),
            Map.entry("waitpid", new Signature(FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), -1)));
    private static final Map<String, MethodHandle> LINKED = new ConcurrentHashMap<>();

    private Libc() {
    }

    static int socket(int domain, int type, int protocol) {
        return call("socket", "socket", domain, type, protocol);
    }

    static void ioctl(int fd, long request, MemorySegment argument) {
        call("ioctl", "ioctl", fd, request, argument);
    }

    static void close(int fd) {
        call("close", "close", fd);
    }

    static void mount(String source, String target, String type, long flags, String data) {
        try (Arena arena = Arena.ofConfined()) {
            call("mount", "mount " + target, string(arena, source), string(arena, target), string(arena, type),
                    flags, string(arena, data));
        }
    }

    /** The {@code f_flag} field of {@code statvfs(3)}: {@code ST_*} bits. */
    static long statvfsFlags(String path) {
        try (Arena arena = Arena.ofConfined()) {
            // struct statvfs on LP64 glibc: eleven unsigned longs, f_flag is the tenth (offset 72), then spare ints
            MemorySegment buffer = arena.allocate(112, 8);
            call("statvfs", "statvfs " + path, arena.allocateFrom(path), buffer);
            return buffer.get(JAVA_LONG, 72);
        }
    }

    static int open(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            return call("open", "open " + path, arena.allocateFrom(path), flags);
        }
    }

    static int prctl(int option, long a, long b, long c, long d) {
        return call("prctl", "prctl " + option, option, a, b, c, d);
    }

    static void capget(MemorySegment header, MemorySegment data) {
        call("capget", "capget", header, data);
    }

    static void capset(MemorySegment header, MemorySegment data) {
        call("capset", "capset", header, data);
    }

    static void kill(int pid, int signal) {
        call("kill", "kill", pid, signal);
    }

    /** {@code waitpid(pid, &status, WNOHANG)}: the pid reaped, or 0 if it has not exited. */
    static int reap(int pid) {
        try (Arena arena = Arena.ofConfined()) {
            return call("waitpid", "waitpid", pid, arena.allocate(JAVA_INT), 1);
        }
    }

    /**
     * Ends the process at once, as {@code _exit(2)}: no JVM shutdown, which waits up to 300 ms for threads blocked in
     * native code (a JVM that did socket I/O on virtual threads always has some: the pollers).
     */
    static void exit(int code) {
        try {
            MethodHandle exit = LINKER.downcallHandle(LINKER.defaultLookup().find("_exit").orElseThrow(),
                    FunctionDescriptor.ofVoid(JAVA_INT));
            exit.invokeExact(code);
        } catch (Throwable t) {
            Runtime.getRuntime().halt(code);
        }
    }

    /** Whether this JVM records an AOT cache (image training), which it writes only on a normal exit. */
    static boolean recordingAotCache() {
        try {
            return ProcFiles.read(Path.of("/proc/self/cmdline")).contains("-XX:AOTCacheOutput");
        } catch (IOException e) {
            return false;
        }
    }

    private static MemorySegment string(Arena arena, String value) {
        return value == null ? MemorySegment.NULL : arena.allocateFrom(value);
    }

    private static int call(String function, String what, Object... args) {
        MethodHandle handle = LINKED.computeIfAbsent(function, Libc::link);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE);
            Object[] full = new Object[args.length + 1];
            full[0] = state;
            System.arraycopy(args, 0, full, 1, args.length);
            int result = (int) handle.invokeWithArguments(full);
            if (result == -1) {
                int errno = (int) ERRNO.get(state, 0L);
                throw new NativeException(what, errno, describe(errno));
            }
            return result;
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(what + ": " + t, t);
        }
    }

    private static MethodHandle link(String function) {
        Signature s = SIGNATURES.get(function);
        MemorySegment address = LINKER.defaultLookup().find(function).orElseThrow();
        return s.firstVariadic() < 0
                ? LINKER.downcallHandle(address, s.descriptor(), Linker.Option.captureCallState("errno"))
                : LINKER.downcallHandle(address, s.descriptor(), Linker.Option.captureCallState("errno"),
                Linker.Option.firstVariadicArg(s.firstVariadic()));
    }

    private static String describe(int errno) {
        try {
            MethodHandle strerror = LINKER.downcallHandle(LINKER.defaultLookup().find("strerror").orElseThrow(),
                    FunctionDescriptor.of(ADDRESS, JAVA_INT));
            MemorySegment text = (MemorySegment) strerror.invokeExact(errno);
            return text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    private record Signature(FunctionDescriptor descriptor, int firstVariadic) {
    }
}
