package kap.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sidecar's {@code .env} (secrets for the CLI and MCP proxies, never mounted into the capsule). A comment line
 * {@code # KEY=$(command)} is a pattern: {@link #refresh} runs the command on the host and writes {@code KEY=value}
 * under it, as the original's {@code kap env} did.
 */
final class EnvFile {

    /** The pattern {@code kap init} writes when gh is on the host. */
    static final String GH_PATTERN = "# GH_TOKEN=$(gh auth token)";

    private static final Pattern PATTERN = Pattern.compile("#\\s*([A-Za-z_][A-Za-z0-9_]*)=(\\$\\(.*\\))\\s*");

    private EnvFile() {
    }

    /**
     * Re-evaluates every pattern; a command that fails or prints nothing keeps the old value.
     *
     * @param file the .env file; nothing happens if it does not exist
     * @param host runs commands
     * @return how many values were written
     * @throws IOException if the file cannot be rewritten
     */
    static int refresh(Path file, HostTools host) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        List<String> in = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        int refreshed = 0;
        for (int i = 0; i < in.size(); i++) {
            String line = in.get(i);
            out.add(line);
            Matcher m = PATTERN.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String key = m.group(1);
            boolean hasValue = i + 1 < in.size() && in.get(i + 1).startsWith(key + "=");
            String expr = m.group(2);
            String value = host.run(List.of("sh", "-c", expr.substring(2, expr.length() - 1)))
                    .map(String::strip).orElse("");
            if (!value.isEmpty() && !value.contains("\n")) {
                out.add(key + "=" + value);
                refreshed++;
                if (hasValue) {
                    i++;
                }
            }
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, out, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return refreshed;
    }
}
