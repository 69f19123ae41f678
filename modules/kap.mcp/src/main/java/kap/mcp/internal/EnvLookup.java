package kap.mcp.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code ${VAR}} values for upstream headers: the sidecar's {@code .env} file first (re-read when it changes, at most
 * once a second, so a refreshed token applies without a restart), then the process environment. The file is
 * {@code $KAP_ENV_FILE}, else {@code /etc/kap/envs/.env}; lines are {@code KEY=VALUE}, optionally
 * {@code export KEY=...} or quoted, {@code #} comments. The system property {@code kap.env.file} overrides the
 * variable. Thread-safe.
 */
final class EnvLookup implements Function<String, Optional<String>> {

    static final long RECHECK_NANOS = 1_000_000_000L;
    static final int MAX_BYTES = 1024 * 1024;

    private final Path file;
    private final Map<String, String> process;
    private volatile Snapshot snapshot = new Snapshot(new byte[0], Map.of(), 0);

    EnvLookup(Path file, Map<String, String> process) {
        this.file = file;
        this.process = Map.copyOf(process);
    }

    static EnvLookup system() {
        String configured = System.getProperty("kap.env.file", System.getenv("KAP_ENV_FILE"));
        Path file = configured == null || configured.isBlank() ? Path.of("/etc/kap/envs/.env") : Path.of(configured);
        return new EnvLookup(file, System.getenv());
    }

    @Override
    public Optional<String> apply(String name) {
        String v = fileValues().get(name);
        return Optional.ofNullable(v != null ? v : process.get(name));
    }

    /**
     * Replaces every {@code ${VAR}}; an unset variable becomes empty, an unclosed {@code ${} stays as written.
     */
    static String expand(String value, Function<String, Optional<String>> env) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            int start = value.indexOf("${", i);
            int end = start < 0 ? -1 : value.indexOf('}', start + 2);
            if (start < 0 || end < 0) {
                out.append(value, i, value.length());
                break;
            }
            out.append(value, i, start).append(env.apply(value.substring(start + 2, end)).orElse(""));
            i = end + 1;
        }
        return out.toString();
    }

    private Map<String, String> fileValues() {
        Snapshot s = snapshot;
        if (System.nanoTime() - s.checkedAt() < RECHECK_NANOS && s.checkedAt() != 0) {
            return s.values();
        }
        byte[] bytes;
        try {
            bytes = Files.size(file) > MAX_BYTES ? s.bytes() : Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            bytes = new byte[0];
        } catch (IOException e) {
            bytes = s.bytes();
        }
        Map<String, String> values = Arrays.equals(bytes, s.bytes()) ? s.values() : parse(new String(bytes,
                java.nio.charset.StandardCharsets.UTF_8));
        snapshot = new Snapshot(bytes, values, System.nanoTime());
        return values;
    }

    static Map<String, String> parse(String text) {
        Map<String, String> values = new HashMap<>();
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring(7).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            values.put(line.substring(0, eq).strip(), value);
        }
        return Map.copyOf(values);
    }

    private record Snapshot(byte[] bytes, Map<String, String> values, long checkedAt) {
    }
}
