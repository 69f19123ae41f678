package kap.runtime.namespace;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Each capsule's private runtime directory, {@code $XDG_RUNTIME_DIR/kap/<id>} or else {@code ~/.kap/run/<id>}, mode
 * 0700: the Unix sockets, the generated {@code resolv.conf}, and the CLI shims. An {@code owner} file names the
 * {@code kap run} process, so that a later run can remove what a killed one left behind.
 */
final class RuntimeDirs {

    /** Unix socket paths are limited to 108 bytes, with the terminating NUL. */
    static final int MAX_SOCKET_PATH = 107;
    private static final String OWNER = "owner";

    private RuntimeDirs() {
    }

    /**
     * Where capsules' runtime directories go.
     *
     * @param environment the user's environment
     * @param kapHome kap's home
     * @return the base directory
     */
    static Path base(Map<String, String> environment, Path kapHome) {
        String xdg = environment.get("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isBlank()) {
            Path dir = Path.of(xdg);
            if (dir.isAbsolute() && Files.isDirectory(dir) && Files.isWritable(dir)) {
                return dir.resolve("kap");
            }
        }
        return kapHome.resolve("run");
    }

    /**
     * Creates a capsule's directory, owned by this process.
     *
     * @param base the base directory
     * @param id the capsule id
     * @return the directory
     * @throws IOException if it cannot be made, or is too deep for Unix socket paths
     */
    static Path create(Path base, String id) throws IOException {
        Path dir = base.resolve(id);
        if (Service.DNS.datagramSocket(dir).orElseThrow().toString().length() > MAX_SOCKET_PATH) {
            throw new IOException("the runtime directory " + dir + " is too long for Unix socket paths; set "
                    + "XDG_RUNTIME_DIR to a shorter directory");
        }
        private0700(base.getParent());
        private0700(base);
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        ProcessHandle self = ProcessHandle.current();
        Files.writeString(dir.resolve(OWNER), self.pid() + " "
                + self.info().startInstant().map(Instant::toEpochMilli).orElse(0L) + "\n");
        return dir;
    }

    /**
     * Removes the directories of capsules whose {@code kap run} process is gone.
     *
     * @param base the base directory
     */
    static void sweep(Path base) {
        if (!Files.isDirectory(base)) {
            return;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(base)) {
            for (Path dir : dirs) {
                if (Files.isDirectory(dir) && !alive(dir)) {
                    delete(dir);
                }
            }
        } catch (IOException e) {
            // a directory we cannot list holds nothing we can clean
        }
    }

    /**
     * Whether the {@code kap run} that owns a directory still runs (same pid and start time).
     *
     * @param dir a capsule's directory
     * @return {@code true} if it does, or if the owner cannot be read yet
     */
    static boolean alive(Path dir) {
        Optional<String> owner;
        try {
            owner = Optional.of(Files.readString(dir.resolve(OWNER)).trim());
        } catch (IOException e) {
            // a directory without an owner file is being created right now, or is not ours
            return true;
        }
        String[] fields = owner.get().split(" ");
        try {
            long pid = Long.parseLong(fields[0]);
            long started = fields.length > 1 ? Long.parseLong(fields[1]) : 0;
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .map(p -> started == 0 || p.info().startInstant().map(Instant::toEpochMilli).orElse(started)
                            == started)
                    .orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Deletes a directory tree; what cannot be deleted stays.
     *
     * @param dir the directory
     */
    static void delete(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // left for the next sweep
        }
    }

    private static void private0700(Path dir) throws IOException {
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        }
    }
}
