package kap.runtime.namespace;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Brings {@code lo} up in the capsule's new network namespace, where it starts down, with
 * {@code ioctl(SIOCSIFFLAGS)}: no {@code ip(8)} needed.
 */
final class Loopback {

    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCSIFFLAGS = 0x8914;
    private static final short IFF_UP = 0x1;
    /** {@code struct ifreq}: a 16-byte name, then a union whose first member here is {@code short ifr_flags}. */
    private static final int IFREQ_SIZE = 40;
    private static final int FLAGS_OFFSET = 16;

    private Loopback() {
    }

    /**
     * Sets {@code IFF_UP} on {@code lo}; the kernel then adds 127.0.0.1/8 and ::1 by itself.
     *
     * @throws NativeException if the namespace does not allow it
     */
    static void up() {
        int fd = Libc.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment request = arena.allocate(IFREQ_SIZE, 8);
            byte[] name = "lo".getBytes(StandardCharsets.US_ASCII);
            MemorySegment.copy(MemorySegment.ofArray(name), 0, request, 0, name.length);
            Libc.ioctl(fd, SIOCGIFFLAGS, request);
            short flags = request.get(JAVA_SHORT, FLAGS_OFFSET);
            request.set(JAVA_SHORT, FLAGS_OFFSET, (short) (flags | IFF_UP));
            Libc.ioctl(fd, SIOCSIFFLAGS, request);
        } finally {
            Libc.close(fd);
        }
    }
}
