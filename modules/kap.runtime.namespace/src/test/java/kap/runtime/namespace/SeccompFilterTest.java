package kap.runtime.namespace;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import kap.runtime.namespace.SeccompFilter.Machine;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * The filter's decisions, by running the assembled program in a small classic-BPF interpreter over
 * {@code struct seccomp_data} built for each case (the kernel applies it for real in {@link IsolationTest}).
 */
class SeccompFilterTest {

    private static final int I386 = 0x40000003;
    private static final int CONNECT_X86_64 = 42;
    private static final int SOCKETPAIR_X86_64 = 53;
    private static final int AF_INET = 2;
    private static final int TCGETS = 0x5401;

    enum Case {
        UNIX_SOCKET(Machine.X86_64, 41, SeccompFilter.AF_UNIX, 0, SeccompFilter.RET_ERRNO | SeccompFilter.EPERM),
        INET_SOCKET(Machine.X86_64, 41, AF_INET, 0, SeccompFilter.RET_ALLOW),
        UNIX_SOCKET_ARM(Machine.AARCH64, 198, SeccompFilter.AF_UNIX, 0, SeccompFilter.RET_ERRNO | SeccompFilter.EPERM),
        SOCKETPAIR(Machine.X86_64, SOCKETPAIR_X86_64, SeccompFilter.AF_UNIX, 0, SeccompFilter.RET_ALLOW),
        CONNECT(Machine.X86_64, CONNECT_X86_64, 3, 0, SeccompFilter.RET_ALLOW),
        TIOCSTI(Machine.X86_64, 16, 0, SeccompFilter.TIOCSTI, SeccompFilter.RET_ERRNO | SeccompFilter.EPERM),
        TIOCLINUX(Machine.AARCH64, 29, 0, SeccompFilter.TIOCLINUX, SeccompFilter.RET_ERRNO | SeccompFilter.EPERM),
        OTHER_IOCTL(Machine.X86_64, 16, 0, TCGETS, SeccompFilter.RET_ALLOW),
        IO_URING_SETUP(Machine.X86_64, 425, 0, 0, SeccompFilter.RET_ERRNO | SeccompFilter.ENOSYS),
        IO_URING_ENTER(Machine.AARCH64, 426, 0, 0, SeccompFilter.RET_ERRNO | SeccompFilter.ENOSYS),
        X32(Machine.X86_64, 0x40000000 | 41, AF_INET, 0, SeccompFilter.RET_KILL_PROCESS),
        READ(Machine.X86_64, 0, 0, 0, SeccompFilter.RET_ALLOW);

        final Machine machine;
        final int nr;
        final long arg0;
        final long arg1;
        final int expected;

        Case(Machine machine, int nr, long arg0, long arg1, int expected) {
            this.machine = machine;
            this.nr = nr;
            this.arg0 = arg0;
            this.arg1 = arg1;
            this.expected = expected;
        }
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void decidesEachSystemCall(Case c) {
        byte[] program = SeccompFilter.program(c.machine, false);
        assertThat(run(program, c.machine.auditArch(), c.nr, c.arg0, c.arg1), is(c.expected));
    }

    @Test
    void killsSystemCallsOfAnotherAbi() {
        byte[] program = SeccompFilter.program(Machine.X86_64, false);
        assertThat(run(program, I386, 102, 1, 0), is(SeccompFilter.RET_KILL_PROCESS));
    }

    @Test
    void leavesUnixSocketsAloneWhenAllowedButStillRefusesTheRest() {
        byte[] program = SeccompFilter.program(Machine.X86_64, true);
        assertThat(run(program, Machine.X86_64.auditArch(), 41, SeccompFilter.AF_UNIX, 0), is(SeccompFilter.RET_ALLOW));
        assertThat(run(program, Machine.X86_64.auditArch(), 16, 0, SeccompFilter.TIOCSTI),
                is(SeccompFilter.RET_ERRNO | SeccompFilter.EPERM));
        assertThat(run(program, Machine.X86_64.auditArch(), 425, 0, 0),
                is(SeccompFilter.RET_ERRNO | SeccompFilter.ENOSYS));
    }

    @Test
    void comparesOnlyTheLow32BitsOfAnIoctlRequestAsTheKernelDoes() {
        byte[] program = SeccompFilter.program(Machine.X86_64, false);
        assertThat(run(program, Machine.X86_64.auditArch(), 16, 0, 0xFFFF_FFFF_0000_0000L | SeccompFilter.TIOCSTI),
                is(SeccompFilter.RET_ERRNO | SeccompFilter.EPERM));
    }

    /** Runs a classic-BPF program over seccomp_data: the instructions the filter uses and nothing else. */
    private static int run(byte[] program, int arch, int nr, long arg0, long arg1) {
        ByteBuffer data = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        data.putInt(0, nr).putInt(4, arch).putLong(16, arg0).putLong(24, arg1);
        ByteBuffer code = ByteBuffer.wrap(program).order(ByteOrder.nativeOrder());
        int count = program.length / 8;
        assertThat(count, lessThanOrEqualTo(4096));
        int accumulator = 0;
        int pc = 0;
        while (pc < count) {
            int op = Short.toUnsignedInt(code.getShort(pc * 8));
            int jt = Byte.toUnsignedInt(code.get(pc * 8 + 2));
            int jf = Byte.toUnsignedInt(code.get(pc * 8 + 3));
            int k = code.getInt(pc * 8 + 4);
            switch (op) {
                case 0x20 -> accumulator = data.getInt(k);
                case 0x15 -> pc += accumulator == k ? jt : jf;
                case 0x35 -> pc += Integer.compareUnsigned(accumulator, k) >= 0 ? jt : jf;
                case 0x06 -> {
                    return k;
                }
                default -> throw new AssertionError("unexpected instruction " + op);
            }
            pc++;
        }
        throw new AssertionError("the program fell off its end");
    }
}
