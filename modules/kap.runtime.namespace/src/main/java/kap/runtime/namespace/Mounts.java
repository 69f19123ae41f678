package kap.runtime.namespace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies the {@link MountPlan} in the capsule's private mount namespace ({@code unshare --mount} made every mount
 * private, so nothing here reaches the host).
 *
 * <p>Order matters: the runtime directory is opened before the masks hide it, masks go on, the runtime directory is
 * bound back through its open descriptor, then the read-only files and {@code resolv.conf}.
 */
final class Mounts {

    static final long MS_RDONLY = 1;
    static final long MS_NOSUID = 2;
    static final long MS_NODEV = 4;
    static final long MS_NOEXEC = 8;
    static final long MS_REMOUNT = 32;
    static final long MS_NOATIME = 1024;
    static final long MS_NODIRATIME = 2048;
    static final long MS_BIND = 4096;
    static final long MS_RELATIME = 1 << 21;
    private static final long ST_NOSUID = 2;
    private static final long ST_NODEV = 4;
    private static final long ST_NOEXEC = 8;
    private static final long ST_NOATIME = 1024;
    private static final long ST_NODIRATIME = 2048;
    private static final long ST_RELATIME = 4096;
    private static final int O_PATH = 0x200000;
    private static final int O_DIRECTORY = 0x10000;

    private Mounts() {
    }

    /**
     * Applies the plan.
     *
     * @param plan what to mount
     * @throws NativeException naming the mount the kernel refused
     */
    static void apply(MountPlan plan) {
        int runtimeDir = Libc.open(plan.runtimeDir().toString(), O_PATH | O_DIRECTORY);
        try {
            List<Path> masked = new ArrayList<>();
            for (Path mask : plan.masks()) {
                if (Files.isDirectory(mask)) {
                    Libc.mount("tmpfs", mask.toString(), "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700");
                    masked.add(mask);
                }
            }
            if (masked.stream().anyMatch(plan.runtimeDir()::startsWith)) {
                createDirectories(plan.runtimeDir());
                Libc.mount("/proc/self/fd/" + runtimeDir, plan.runtimeDir().toString(), null, MS_BIND, null);
            }
            for (Path file : plan.readOnly()) {
                if (Files.exists(file) && masked.stream().noneMatch(file::startsWith)) {
                    bindReadOnly(file, file);
                }
            }
            if (plan.resolvTarget().isPresent()) {
                bindReadOnly(plan.resolvSource(), plan.resolvTarget().get());
            }
        } finally {
            Libc.close(runtimeDir);
        }
    }

    /**
     * Binds a path read-only. The remount keeps the flags the kernel locks on mounts inherited from a more privileged
     * namespace (nosuid, nodev, noexec, atime); leaving one out is refused with {@code EPERM}.
     */
    static void bindReadOnly(Path source, Path target) {
        Libc.mount(source.toString(), target.toString(), null, MS_BIND, null);
        long locked = lockedFlags(Libc.statvfsFlags(target.toString()));
        Libc.mount(null, target.toString(), null, MS_BIND | MS_REMOUNT | MS_RDONLY | locked, null);
    }

    static long lockedFlags(long statvfsFlags) {
        long flags = 0;
        flags |= (statvfsFlags & ST_NOSUID) != 0 ? MS_NOSUID : 0;
        flags |= (statvfsFlags & ST_NODEV) != 0 ? MS_NODEV : 0;
        flags |= (statvfsFlags & ST_NOEXEC) != 0 ? MS_NOEXEC : 0;
        flags |= (statvfsFlags & ST_NOATIME) != 0 ? MS_NOATIME : 0;
        flags |= (statvfsFlags & ST_NODIRATIME) != 0 ? MS_NODIRATIME : 0;
        flags |= (statvfsFlags & ST_RELATIME) != 0 ? MS_RELATIME : 0;
        return flags;
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new NativeException("mkdir " + dir, NativeException.ENOENT, e.getMessage());
        }
    }
}
