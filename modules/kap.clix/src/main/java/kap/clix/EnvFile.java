package kap.clix;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sidecar's {@code .env}: {@code KEY=VALUE} lines, {@code #} comments and blank lines skipped, split at the first
 * {@code =}, key and value trimmed, no quoting (the original's format). Read on every command, so an edited file
 * applies to the next command.
 */
final class EnvFile {

    /** A larger file is refused rather than read. */
    static final int MAX_FILE_BYTES = 1024 * 1024;

    private static final System.Logger LOG = System.getLogger("kap.clix");

    private EnvFile() {
    }

    /**
     * Reads the file; a missing file is empty.
     *
     * @param file the file
     * @return names to values, in file order; a later line wins
     */
    static Map<String, String> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                LOG.log(System.Logger.Level.WARNING, "[clix] " + file + " is over " + MAX_FILE_BYTES
                        + " bytes (MAX_FILE_BYTES); ignored");
                return Map.of();
            }
            return parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "[clix] cannot read " + file + ": " + e);
            return Map.of();
        }
    }

    /**
     * Parses {@code .env} text.
     *
     * @param text the text
     * @return names to values
     */
    static Map<String, String> parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String raw : text.split("\r?\n")) {
            String line = raw.strip();
            int eq = line.indexOf('=');
            if (line.isEmpty() || line.startsWith("#") || eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            if (!key.isEmpty()) {
                values.put(key, line.substring(eq + 1).strip());
            }
        }
        return values;
    }
}
