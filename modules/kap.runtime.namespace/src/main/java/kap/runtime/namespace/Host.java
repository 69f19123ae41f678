package kap.runtime.namespace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Facts about this machine that decide whether {@code kap run} can work: the operating system, the util-linux
 * programs, the kernel's user-namespace switches, and the invoking user. {@code /proc/sys} is a parameter so that
 * tests can describe a machine that is not this one.
 *
 * @param os {@code os.name}
 * @param arch {@code os.arch}
 * @param uid the invoking user's uid
 * @param procSys {@code /proc/sys} or a stand-in
 * @param path where to find programs: the user's {@code PATH}, then the system directories
 */
record Host(String os, String arch, long uid, Path procSys, String path) {

    private static final List<String> SYSTEM_DIRS = List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin");

    /**
     * This machine.
     *
     * @param environment the user's environment
     * @return the host
     */
    static Host current(Map<String, String> environment) {
        return new Host(System.getProperty("os.name", ""), System.getProperty("os.arch", ""), currentUid(),
                Path.of("/proc/sys"), environment.getOrDefault("PATH", "") + ":" + String.join(":", SYSTEM_DIRS));
    }

    boolean linux() {
        return os.toLowerCase(Locale.ROOT).startsWith("linux");
    }

    boolean root() {
        return uid == 0;
    }

    /**
     * A program on the {@code PATH} or in the system directories.
     *
     * @param name such as {@code unshare}
     * @return its path, or empty
     */
    Optional<Path> program(String name) {
        for (String dir : path.split(":")) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A value under {@code /proc/sys}.
     *
     * @param key such as {@code kernel/unprivileged_userns_clone}
     * @return the trimmed value, or empty if this kernel has no such switch
     */
    Optional<String> sysctl(String key) {
        try {
            return Optional.of(ProcFiles.read(procSys.resolve(key)).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static long currentUid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
