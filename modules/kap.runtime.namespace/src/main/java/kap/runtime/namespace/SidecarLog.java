package kap.runtime.namespace;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

/**
 * While a capsule runs, the terminal belongs to the command: the sidecar's log lines (one per denial, among others)
 * would land in the middle of an agent's screen. They go to {@code ~/.kap/log/run.log} instead, kept under
 * {@link #MAX_BYTES} by moving the old file to {@code run.log.1}.
 */
final class SidecarLog implements AutoCloseable {

    /** The log is rotated at start when it is larger than this. */
    static final long MAX_BYTES = 4 * 1024 * 1024;

    private final PrintStream previous;
    private final PrintStream file;
    private final Path path;

    private SidecarLog(PrintStream previous, PrintStream file, Path path) {
        this.previous = previous;
        this.file = file;
        this.path = path;
    }

    /**
     * Sends {@code System.err} to the file until {@link #close()}.
     *
     * @param path the log file
     * @param header the first line for this run
     * @return the redirection
     * @throws IOException if the file cannot be opened
     */
    static SidecarLog redirect(Path path, String header) throws IOException {
        Files.createDirectories(path.getParent());
        if (Files.exists(path) && Files.size(path) > MAX_BYTES) {
            Files.move(path, path.resolveSibling(path.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        }
        PrintStream file = new PrintStream(new FileOutputStream(path.toFile(), true), true, StandardCharsets.UTF_8);
        file.println("[run] " + Instant.now() + " " + header);
        PrintStream previous = System.err;
        System.setErr(file);
        return new SidecarLog(previous, file, path);
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        System.setErr(previous);
        file.close();
    }
}
