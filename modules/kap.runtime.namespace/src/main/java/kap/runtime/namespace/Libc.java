package kap.runtime.namespace;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The few libc calls the bridge needs, through the FFM API, each capturing {@code errno}. Every call that fails
 * throws {@link NativeException} naming the call and the error; none returns a failure code.
 */
final class Libc {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle SOCKET = function("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT,
            JAVA_INT));
    private static final MethodHandle IOCTL = variadic("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG,
            ADDRESS), 2);
    private static final MethodHandle CLOSE = function("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle MOUNT = function("mount", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS,
            ADDRESS, JAVA_LONG, ADDRESS));
    private static final MethodHandle STATVFS = function("statvfs", FunctionDescriptor.of(JAVA_INT, ADDRESS,
            ADDRESS));
    private static final MethodHandle OPEN = variadic("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), 2);
    private static final MethodHandle PRCTL = variadic("prctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG), 1);
    private static final MethodHandle CAPGET = function("capget", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle CAPSET = function("capset", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle KILL = function("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle WAITPID = function("waitpid", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS,
            JAVA_INT));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LINKER.defaultLookup().find("strerror").orElseThrow(), FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Libc() {
    }

    static int socket(int domain, int type, int protocol) {
        return call("socket", SOCKET, domain, type, protocol);
    }

    static void ioctl(int fd, long request, MemorySegment argument) {
        call("ioctl", IOCTL, fd, request, argument);
    }

    static void close(int fd) {
        call("close", CLOSE, fd);
    }

    static void mount(String source, String target, String type, long flags, String data) {
        try (Arena arena = Arena.ofConfined()) {
            call("mount " + target, MOUNT, string(arena, source), string(arena, target), string(arena, type), flags,
                    string(arena, data));
        }
    }

    /** The {@code f_flag} field of {@code statvfs(3)}: {@code ST_*} bits. */
    static long statvfsFlags(String path) {
        try (Arena arena = Arena.ofConfined()) {
            // struct statvfs on LP64 glibc: eleven unsigned longs, f_flag is the tenth (offset 72), then spare ints
            MemorySegment buffer = arena.allocate(112, 8);
            call("statvfs " + path, STATVFS, arena.allocateFrom(path), buffer);
            return buffer.get(JAVA_LONG, 72);
        }
    }

    static int open(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            return call("open " + path, OPEN, arena.allocateFrom(path), flags);
        }
    }

    static int prctl(int option, long a, long b, long c, long d) {
        return call("prctl " + option, PRCTL, option, a, b, c, d);
    }

    static void capget(MemorySegment header, MemorySegment data) {
        call("capget", CAPGET, header, data);
    }

    static void capset(MemorySegment header, MemorySegment data) {
        call("capset", CAPSET, header, data);
    }

    static void kill(int pid, int signal) {
        call("kill", KILL, pid, signal);
    }

    /** {@code waitpid(pid, &status, WNOHANG)}: the pid reaped, or 0 if it has not exited. */
    static int reap(int pid) {
        try (Arena arena = Arena.ofConfined()) {
            return call("waitpid", WAITPID, pid, arena.allocate(JAVA_INT), 1);
        }
    }

    private static MemorySegment string(Arena arena, String value) {
        return value == null ? MemorySegment.NULL : arena.allocateFrom(value);
    }

    private static int call(String what, MethodHandle handle, Object... args) {
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

    private static String describe(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    private static MethodHandle function(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor,
                Linker.Option.captureCallState("errno"));
    }

    private static MethodHandle variadic(String name, FunctionDescriptor descriptor, int firstVariadic) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor,
                Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(firstVariadic));
    }
}
