package kap.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The grants file: a JSON array of {@link Grant}s, written atomically (temp file and rename) so the sidecar's watcher
 * never reads half a file.
 *
 * <pre>{@code
 * [{"id":"g-7f3a","scope":"network","pattern":"example.com","expires_at":"2026-12-04T22:05:00Z",
 *   "once":false,"created_at":"2026-12-04T21:55:00Z","by":"pixel-7"}]
 * }</pre>
 */
public final class Grants {

    /** More grants than this in one file are refused; each one is checked on every denied request. */
    public static final int MAX_GRANTS = 1000;

    private Grants() {
    }

    /** Databind is loaded only when there is a grants file to read or write, not on every sidecar start. */
    private static final class Json {
        private static final ObjectMapper MAPPER = new ObjectMapper()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /**
     * Reads a grants file. A missing file holds no grants.
     *
     * @param file the file
     * @return the grants, in file order
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the entry, if the file is malformed
     */
    public static List<Grant> read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        if (text.isBlank()) {
            return List.of();
        }
        JsonNode root = Json.MAPPER.readTree(text);
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException(file + ": expected a JSON array of grants");
        }
        if (root.size() > MAX_GRANTS) {
            throw new IllegalArgumentException(file + ": more than " + MAX_GRANTS + " grants");
        }
        List<Grant> result = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            result.add(parse(root.get(i), file + "[" + i + "]"));
        }
        return List.copyOf(result);
    }

    /**
     * Writes a grants file atomically, creating its directory.
     *
     * @param file the file
     * @param grants the grants
     * @throws IOException if it cannot be written
     */
    public static void write(Path file, List<Grant> grants) throws IOException {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (Grant g : grants) {
            ObjectNode n = array.addObject();
            n.put("id", g.id());
            n.put("scope", g.scope().name().toLowerCase(Locale.ROOT));
            n.put("pattern", g.pattern());
            n.put("expires_at", g.expiresAt().toString());
            n.put("once", g.once());
            n.put("created_at", g.createdAt().toString());
            n.put("by", g.by());
        }
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        Files.writeString(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(array) + "\n");
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Checks a grant's pattern with the matcher of its scope, as the policy will compile it: a network rule, an MCP
     * {@code server/tool-glob}, or a CLI {@code tool command-pattern}.
     *
     * @param grant the grant
     * @return the grant
     * @throws IllegalArgumentException saying what is wrong with the pattern
     */
    public static Grant validate(Grant grant) {
        Policy.check(grant);
        return grant;
    }

    /**
     * The grants that are still active, for pruning a file.
     *
     * @param grants grants
     * @param now the time
     * @return those that have not expired
     */
    public static List<Grant> active(List<Grant> grants, Instant now) {
        return grants.stream().filter(g -> g.activeAt(now)).toList();
    }

    private static Grant parse(JsonNode n, String where) {
        if (!n.isObject()) {
            throw new IllegalArgumentException(where + ": expected an object");
        }
        try {
            Grant.Scope scope = Grant.Scope.valueOf(text(n, "scope", where).toUpperCase(Locale.ROOT));
            return new Grant(text(n, "id", where), scope, text(n, "pattern", where),
                    Instant.parse(text(n, "expires_at", where)), n.path("once").asBoolean(false),
                    Instant.parse(Optional.ofNullable(n.get("created_at")).map(JsonNode::asText)
                            .orElse(Instant.EPOCH.toString())),
                    Optional.ofNullable(n.get("by")).map(JsonNode::asText).orElse("unknown"));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    private static String text(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(where + ": missing string field '" + field + "'");
        }
        return v.asText();
    }
}
