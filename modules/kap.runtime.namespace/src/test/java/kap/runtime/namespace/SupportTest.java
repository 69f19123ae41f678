package kap.runtime.namespace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Each reason {@code kap run} cannot isolate a command is named with its fix, for a machine described by files.
 */
class SupportTest {

    @TempDir
    Path dir;

    private Host host(String os, long uid, Map<String, String> sysctls, String... programs) throws IOException {
        Path procSys = dir.resolve("sys");
        for (var e : sysctls.entrySet()) {
            Files.createDirectories(procSys.resolve(e.getKey()).getParent());
            Files.writeString(procSys.resolve(e.getKey()), e.getValue() + "\n");
        }
        Path bin = dir.resolve("bin");
        Files.createDirectories(bin);
        for (String program : programs) {
            Path p = bin.resolve(program);
            Files.writeString(p, "#!/bin/sh\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return new Host(os, "amd64", uid, procSys, bin.toString());
    }

    @Test
    void allowsALinuxMachineWithUtilLinuxAndUserNamespaces() throws Exception {
        assertThat(Support.blocker(host("Linux", 1000, Map.of(Support.MAX_USERNS, "15000"), "unshare", "setpriv")),
                is(Optional.empty()));
    }

    @Test
    void refusesMacosAndPointsAtDocker() throws Exception {
        String reason = Support.blocker(host("Mac OS X", 501, Map.of())).orElseThrow();
        assertThat(reason, allOf(containsString("needs Linux user and network namespaces"),
                containsString("Mac OS X"), containsString("kap up")));
    }

    @Test
    void refusesAMachineTheSystemCallFilterDoesNotKnow() throws Exception {
        Host riscv = new Host("Linux", "riscv64", 1000, dir, "");
        assertThat(Support.blocker(riscv).orElseThrow(), allOf(containsString("riscv64"),
                containsString("x86_64 and aarch64")));
    }

    @Test
    void namesMissingUtilLinuxProgramsAndHowToInstallThem() throws Exception {
        String reason = Support.blocker(host("Linux", 1000, Map.of(), "setpriv")).orElseThrow();
        assertThat(reason, allOf(containsString("needs unshare from util-linux"),
                containsString("apt-get install util-linux")));
    }

    @Test
    void namesMaxUserNamespacesZeroAndTheSysctlThatFixesIt() throws Exception {
        String reason = Support.blocker(host("Linux", 0, Map.of(Support.MAX_USERNS, "0"), "unshare", "setpriv"))
                .orElseThrow();
        assertThat(reason, allOf(containsString("user.max_user_namespaces is 0"),
                containsString("sudo sysctl -w user.max_user_namespaces=15000")));
    }

    @Test
    void namesTheDebianSwitchForUnprivilegedUsersButNotForRoot() throws Exception {
        Map<String, String> off = Map.of(Support.USERNS_CLONE, "0");
        String reason = Support.blocker(host("Linux", 1000, off, "unshare", "setpriv")).orElseThrow();
        assertThat(reason, allOf(containsString("kernel.unprivileged_userns_clone is 0"),
                containsString("sudo sysctl -w kernel.unprivileged_userns_clone=1")));
        assertThat(Support.blocker(host("Linux", 0, off, "unshare", "setpriv")), is(Optional.empty()));
    }

    @Test
    void explainsAnAppArmorRefusalWithBothFixes() throws Exception {
        Host ubuntu = host("Linux", 1000, Map.of(Support.RESTRICT_APPARMOR, "1"), "unshare", "setpriv");
        String reason = Support.diagnose(ubuntu, "unshare: write failed /proc/self/uid_map: Operation not permitted");
        assertThat(reason, allOf(containsString("AppArmor"), containsString("apparmor_restrict_unprivileged_userns"),
                containsString("docs/RUN.md"), containsString("Operation not permitted")));
    }

    @Test
    void explainsOtherRefusalsWithTheContainerCase() throws Exception {
        String reason = Support.diagnose(host("Linux", 1000, Map.of()), "unshare failed: Operation not permitted");
        assertThat(reason, allOf(containsString("refused to create the capsule's namespaces"),
                containsString("Inside a container"), containsString("Operation not permitted")));
        assertThat(Support.diagnose(host("Linux", 1000, Map.of()), "unshare failed: No space left on device"),
                containsString("user.max_user_namespaces"));
    }
}
