package kap.runtime.namespace;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The classic-BPF program the command runs under. It returns {@code EPERM} for {@code socket(AF_UNIX, ...)} (a Unix
 * socket on the host's file system, such as the D-Bus session bus or systemd-resolved, is a way out of any network
 * namespace), {@code ENOSYS} for io_uring (its {@code IORING_OP_SOCKET} would open sockets without the
 * {@code socket} system call), {@code EPERM} for the {@code TIOCSTI} and {@code TIOCLINUX} ioctls (typing into the
 * user's terminal after {@code kap run} exits), and kills a process that makes system calls for another ABI (i386
 * and x32, whose socket calls the filter cannot see). {@code socketpair(AF_UNIX)} stays allowed: it reaches nothing.
 *
 * <p>Straight-line code with forward jumps to labels, assembled here; the layout of {@code struct seccomp_data} is
 * {@code int nr; u32 arch; u64 ip; u64 args[6]}, little-endian on both supported machines.
 */
final class SeccompFilter {

    static final int RET_ALLOW = 0x7fff0000;
    static final int RET_KILL_PROCESS = 0x80000000;
    static final int RET_ERRNO = 0x00050000;
    static final int EPERM = 1;
    static final int ENOSYS = 38;
    static final int AF_UNIX = 1;
    static final int TIOCSTI = 0x5412;
    static final int TIOCLINUX = 0x541C;

    private static final int LD_W_ABS = 0x20;
    private static final int JEQ_K = 0x15;
    private static final int JGE_K = 0x35;
    private static final int RET_K = 0x06;
    private static final int OFFSET_NR = 0;
    private static final int OFFSET_ARCH = 4;
    private static final int OFFSET_ARG0 = 16;
    private static final int OFFSET_ARG1 = 24;

    /** The system calls the filter looks at, per machine. */
    record Machine(String name, int auditArch, int socket, int ioctl, boolean x32) {
        static final int IO_URING_SETUP = 425;
        static final int IO_URING_ENTER = 426;
        static final int IO_URING_REGISTER = 427;

        static final Machine X86_64 = new Machine("x86_64", 0xC000003E, 41, 16, true);
        static final Machine AARCH64 = new Machine("aarch64", 0xC00000B7, 198, 29, false);

        /**
         * This JVM's machine.
         *
         * @return the machine, or {@code null} if the filter does not know it
         */
        static Machine current() {
            return of(System.getProperty("os.arch", ""));
        }

        /**
         * A machine by its {@code os.arch} name.
         *
         * @param arch such as {@code amd64}
         * @return the machine, or {@code null} if the filter does not know it
         */
        static Machine of(String arch) {
            return switch (arch) {
                case "amd64", "x86_64" -> X86_64;
                case "aarch64" -> AARCH64;
                default -> null;
            };
        }
    }

    private final List<long[]> code = new ArrayList<>();
    private final Map<Integer, String[]> jumps = new HashMap<>();
    private final Map<String, Integer> labels = new HashMap<>();

    private SeccompFilter() {
    }

    /**
     * The program for a machine.
     *
     * @param machine the machine
     * @param allowUnixSockets leave {@code socket(AF_UNIX)} alone
     * @return {@code struct sock_filter[]} in native byte order, 8 bytes per instruction
     */
    static byte[] program(Machine machine, boolean allowUnixSockets) {
        SeccompFilter f = new SeccompFilter();
        f.load(OFFSET_ARCH).jumpIfEqual(machine.auditArch(), null, "kill");
        f.load(OFFSET_NR);
        if (machine.x32()) {
            f.jumpIfAtLeast(0x40000000, "kill", null);
        }
        if (!allowUnixSockets) {
            f.jumpIfEqual(machine.socket(), "socket", null);
        }
        f.jumpIfEqual(machine.ioctl(), "ioctl", null);
        f.jumpIfEqual(Machine.IO_URING_SETUP, "enosys", null);
        f.jumpIfEqual(Machine.IO_URING_ENTER, "enosys", null);
        f.jumpIfEqual(Machine.IO_URING_REGISTER, "enosys", null);
        f.ret(RET_ALLOW);
        if (!allowUnixSockets) {
            f.label("socket").load(OFFSET_ARG0).jumpIfEqual(AF_UNIX, "eperm", null).ret(RET_ALLOW);
        }
        f.label("ioctl").load(OFFSET_ARG1).jumpIfEqual(TIOCSTI, "eperm", null).jumpIfEqual(TIOCLINUX, "eperm", null)
                .ret(RET_ALLOW);
        f.label("eperm").ret(RET_ERRNO | EPERM);
        f.label("enosys").ret(RET_ERRNO | ENOSYS);
        f.label("kill").ret(RET_KILL_PROCESS);
        return f.assemble();
    }

    private SeccompFilter load(int offset) {
        code.add(new long[] {LD_W_ABS, 0, 0, offset});
        return this;
    }

    private SeccompFilter jumpIfEqual(int value, String ifTrue, String ifFalse) {
        return jump(JEQ_K, value, ifTrue, ifFalse);
    }

    private SeccompFilter jumpIfAtLeast(int value, String ifTrue, String ifFalse) {
        return jump(JGE_K, value, ifTrue, ifFalse);
    }

    private SeccompFilter jump(int op, int value, String ifTrue, String ifFalse) {
        jumps.put(code.size(), new String[] {ifTrue, ifFalse});
        code.add(new long[] {op, 0, 0, Integer.toUnsignedLong(value)});
        return this;
    }

    private SeccompFilter ret(int value) {
        code.add(new long[] {RET_K, 0, 0, Integer.toUnsignedLong(value)});
        return this;
    }

    private SeccompFilter label(String name) {
        labels.put(name, code.size());
        return this;
    }

    private byte[] assemble() {
        ByteBuffer out = ByteBuffer.allocate(code.size() * 8).order(ByteOrder.nativeOrder());
        for (int i = 0; i < code.size(); i++) {
            long[] insn = code.get(i);
            String[] targets = jumps.get(i);
            int jt = targets == null ? 0 : offset(i, targets[0]);
            int jf = targets == null ? 0 : offset(i, targets[1]);
            out.putShort((short) insn[0]).put((byte) jt).put((byte) jf).putInt((int) insn[3]);
        }
        return out.array();
    }

    /** A forward jump counts instructions after the next one; {@code null} falls through. */
    private int offset(int from, String label) {
        if (label == null) {
            return 0;
        }
        Integer to = labels.get(label);
        if (to == null || to <= from || to - from - 1 > 255) {
            throw new IllegalStateException("bad jump to " + label);
        }
        return to - from - 1;
    }
}
