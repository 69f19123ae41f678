package kap.mcp;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * The auth directory: one {@code <name>.json} per registered server, mode 0600, with a {@code <name>.lock} beside it
 * that every writer holds (an exclusive {@link FileLock}, so sidecars in other containers sharing the directory take
 * turns with the host's {@code kap mcp} and with each other).
 *
 * <p>Files are written to a temporary file created with mode 0600 (never widened and narrowed afterwards) and moved
 * into place atomically, so a reader never sees half a file. Thread-safe.
 */
public final class AuthStore {

    /** Server names: what kap.toml accepts. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    // FileLock is per process: two channels of one JVM on the same file must not both lock it, so in-process
    // callers queue on this first
    private static final Map<Path, ReentrantLock> LOCAL_LOCKS = new ConcurrentHashMap<>();

    private final Path dir;

    private AuthStore(Path dir) {
        this.dir = dir;
    }

    /**
     * A store over a directory, which need not exist yet.
     *
     * @param dir the auth directory
     * @return store
     */
    public static AuthStore at(Path dir) {
        return new AuthStore(Objects.requireNonNull(dir, "dir").toAbsolutePath().normalize());
    }

    /**
     * The default on the host: {@code ~/.kap/auth}.
     *
     * @return path
     */
    public static Path defaultDir() {
        return Path.of(System.getProperty("user.home"), ".kap", "auth");
    }

    /**
     * The directory.
     *
     * @return path
     */
    public Path dir() {
        return dir;
    }

    /**
     * The auth file of a server.
     *
     * @param name server name
     * @return path
     * @throws IllegalArgumentException if the name is not a valid server name
     */
    public Path file(String name) {
        return dir.resolve(checked(name) + ".json");
    }

    /**
     * Reads a server's registration.
     *
     * @param name server name
     * @return the record, or empty if there is no file
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if the file is not a valid auth file
     */
    public Optional<AuthRecord> read(String name) throws IOException {
        try {
            return Optional.of(AuthRecord.parse(Files.readAllBytes(file(name))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Writes a server's registration with mode 0600, creating the directory (0700) if needed.
     *
     * @param name server name
     * @param auth the record
     * @throws IOException if it cannot be written
     */
    public void write(String name, AuthRecord auth) throws IOException {
        writePrivate(file(name), auth.toJson());
    }

    /**
     * Deletes a server's registration and its lock file.
     *
     * @param name server name
     * @return {@code true} if there was a registration
     * @throws IOException if it cannot be deleted
     */
    public boolean remove(String name) throws IOException {
        boolean existed = Files.deleteIfExists(file(name));
        Files.deleteIfExists(dir.resolve(name + ".lock"));
        return existed;
    }

    /**
     * The names of every registered server, sorted.
     *
     * @return names
     * @throws IOException if the directory cannot be listed
     */
    public List<String> names() throws IOException {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return names;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : files) {
                String n = f.getFileName().toString();
                n = n.substring(0, n.length() - ".json".length());
                if (NAME.matcher(n).matches() && Files.isRegularFile(f)) {
                    names.add(n);
                }
            }
        }
        names.sort(null);
        return names;
    }

    /**
     * Runs an action while holding the server's lock: the in-process lock, then an exclusive lock on
     * {@code <name>.lock}. Blocks until both are held.
     *
     * @param name server name
     * @param action what to do under the lock
     * @param <T> result type
     * @return the action's result
     * @throws IOException if the lock cannot be taken or the action fails
     */
    public <T> T locked(String name, LockedAction<T> action) throws IOException {
        return withLock(dir.resolve(checked(name) + ".lock"), action);
    }

    /**
     * Runs an action under an exclusive lock on a lock file (in-process lock first, then {@link FileLock}).
     *
     * @param lockFile the lock file; created with mode 0600 if missing
     * @param action what to do under the lock
     * @param <T> result type
     * @return the action's result
     * @throws IOException if the lock cannot be taken or the action fails
     */
    static <T> T withLock(Path lockFile, LockedAction<T> action) throws IOException {
        ReentrantLock local = LOCAL_LOCKS.computeIfAbsent(lockFile.toAbsolutePath().normalize(),
                k -> new ReentrantLock());
        local.lock();
        try {
            createPrivateDirectories(lockFile.getParent());
            try (FileChannel channel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE), privateFile(lockFile)); FileLock ignored = channel.lock()) {
                return action.run();
            }
        } finally {
            local.unlock();
        }
    }

    /**
     * Writes bytes to a file that only the owner can read, atomically.
     *
     * @param target the file
     * @param bytes contents
     * @throws IOException if it cannot be written
     */
    static void writePrivate(Path target, byte[] bytes) throws IOException {
        createPrivateDirectories(target.getParent());
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
                + Thread.currentThread().threadId() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, privateFile(tmp));
        try {
            Files.write(tmp, bytes, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void createPrivateDirectories(Path dir) throws IOException {
        if (dir == null || Files.isDirectory(dir)) {
            return;
        }
        createPrivateDirectories(dir.getParent());
        try {
            Files.createDirectory(dir, posix(dir) ? new FileAttribute<?>[] {
                    PosixFilePermissions.asFileAttribute(OWNER_DIR)} : new FileAttribute<?>[0]);
        } catch (FileAlreadyExistsException e) {
            // another process made it first
        }
    }

    private static FileAttribute<?>[] privateFile(Path file) {
        return posix(file.getParent()) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
    }

    private static boolean posix(Path dir) {
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            return existing != null && Files.getFileStore(existing).supportsFileAttributeView("posix");
        } catch (IOException e) {
            return false;
        }
    }

    private static String checked(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid server name '" + name
                    + "': use letters, digits, '.', '_' and '-' (at most 64)");
        }
        return name;
    }

    /**
     * Work done under a lock.
     *
     * @param <T> result type
     */
    @FunctionalInterface
    public interface LockedAction<T> {
        /**
         * Runs.
         *
         * @return result
         * @throws IOException on failure
         */
        T run() throws IOException;
    }
}
