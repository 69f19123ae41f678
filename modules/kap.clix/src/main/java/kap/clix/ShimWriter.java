package kap.clix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

import kap.shim.ShimScript;

/**
 * Keeps the shim directory in step with the configured tools: one executable script per tool, written atomically and
 * only when its text or mode differs (so an unchanged shim keeps its modification time), and every other kap shim in
 * the directory removed. Files that are not kap shims are left alone.
 */
final class ShimWriter {

    private static final System.Logger LOG = System.getLogger("kap.clix");
    private static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxr-xr-x");

    private final Path dir;
    private final byte[] script;

    ShimWriter(Path dir, ClixSettings settings) {
        this.dir = dir;
        this.script = ShimScript.render(settings.shimJava(), settings.shimOptions(),
                settings.shimModulePath().orElse(null)).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Writes the shims of these tools and removes the others. Failures are logged, never thrown: a shim directory
     * that cannot be written must not stop the proxy.
     *
     * @param tools configured tool names (already validated as safe file names)
     */
    synchronized void sync(Collection<String> tools) {
        try {
            Files.createDirectories(dir);
            Set<String> wanted = new HashSet<>(tools);
            for (String tool : wanted) {
                write(dir.resolve(tool));
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path entry : entries) {
                    String name = entry.getFileName().toString();
                    if (!wanted.contains(name) && !name.startsWith(".") && Files.isRegularFile(entry)
                            && ShimScript.isShim(entry)) {
                        Files.delete(entry);
                        LOG.log(System.Logger.Level.INFO, "[clix] removed stale shim " + entry);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "[clix] cannot update the shims in " + dir + ": " + e);
        }
    }

    private void write(Path file) throws IOException {
        if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), script)
                && Files.getPosixFilePermissions(file).equals(EXECUTABLE)) {
            return;
        }
        if (Files.exists(file) && !ShimScript.isShim(file)) {
            LOG.log(System.Logger.Level.WARNING, "[clix] " + file + " exists and is not a kap shim; left alone");
            return;
        }
        Path temp = dir.resolve("." + file.getFileName() + ".tmp");
        Files.write(temp, script);
        Files.setPosixFilePermissions(temp, EXECUTABLE);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        LOG.log(System.Logger.Level.INFO, "[clix] wrote shim " + file);
    }
}
