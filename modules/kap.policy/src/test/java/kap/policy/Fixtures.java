package kap.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Copies test fixtures out of the module into real files, so problems name a real path.
 */
public final class Fixtures {

    private Fixtures() {
    }

    /** Copies {@code policy/<name>} into the directory and returns the file. */
    public static Path copy(String name, Path directory) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/policy/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            Path file = directory.resolve(name.replace('/', '_'));
            Files.writeString(file, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
