package kap.runtime.namespace;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test's own directories: the home (and kap home) and working directory of whoever runs {@code kap run}, owned by
 * that user, under a shared base every user can traverse. JUnit's {@code @TempDir} is private to root, which an
 * unprivileged {@code kap run} could not enter.
 *
 * @param dir the test's directory (outputs, configuration)
 * @param home the user's home; {@code ~/.kap} is the kap home
 * @param work the working directory
 */
record Sandbox(Path dir, Path home, Path work) {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static Path shared;

    Path kapHome() {
        return home.resolve(".kap");
    }

    /**
     * A fresh sandbox for a user.
     *
     * @param as who will run {@code kap run}
     * @return the sandbox
     */
    static Sandbox create(KapRun.As as) throws IOException, InterruptedException {
        Path dir = shared().resolve("t" + COUNTER.incrementAndGet());
        Path home = dir.resolve("home");
        Path work = dir.resolve("work");
        Files.createDirectories(home);
        Files.createDirectories(work);
        openUp(dir);
        if (as == KapRun.As.USER && root()) {
            UserPrincipal user = TestUser.principal();
            Files.setOwner(home, user);
            Files.setOwner(work, user);
        }
        return new Sandbox(dir, home, work);
    }

    static boolean root() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** The base directory of every sandbox in this JVM, deleted when it exits. */
    static synchronized Path shared() throws IOException {
        if (shared == null) {
            shared = Files.createTempDirectory("kap-run-tests-");
            openUp(shared);
            Path base = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> RuntimeDirs.delete(base)));
        }
        return shared;
    }

    /** Lets every user read and traverse a tree (files 0644 or 0755, directories 0755). */
    static void openUp(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                boolean exec = Files.isExecutable(f);
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(exec ? "rwxr-xr-x" : "rw-r--r--"));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void copyTree(Path source, Path target) throws IOException {
        if (Files.isRegularFile(source)) {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(target.resolve(source.relativize(d).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                Files.copy(f, target.resolve(source.relativize(f).toString()), StandardCopyOption.REPLACE_EXISTING);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
