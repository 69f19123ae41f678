package kap.runtime.namespace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads files under {@code /proc}. They report a size of 0, and {@code Files.readString} on JDK 25 then returns only
 * the first byte of {@code /proc/sys/kernel/cap_last_cap} ("4" for "40"); a stream read to its end gets all of it.
 */
final class ProcFiles {

    private ProcFiles() {
    }

    static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
