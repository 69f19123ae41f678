package kap.cli.spi;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Every capsule on this host, one JSON file per capsule under {@code ~/.kap/capsules/} (directory 0700). Runtimes
 * write a record when a capsule starts and remove it when it is taken down; readers ask the runtime whether the
 * capsule is still alive. This is how the remote daemon finds each sidecar's admin address: a channel on the host,
 * never reachable from a capsule.
 */
public final class CapsuleRegistry {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final Path directory;

    /**
     * A registry in a directory.
     *
     * @param directory where records live, such as {@code ~/.kap/capsules}
     */
    public CapsuleRegistry(Path directory) {
        this.directory = directory;
    }

    /**
     * Records a capsule, replacing an older record with the same id.
     *
     * @param capsule the capsule
     * @throws IOException if the record cannot be written
     */
    public void put(Capsule capsule) throws IOException {
        Path file = file(capsule.id());
        Files.createDirectories(directory);
        try {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing more we can do
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("id", capsule.id());
        n.put("runtime", capsule.runtime());
        n.put("project", capsule.project());
        n.put("project_dir", capsule.projectDir().toString());
        n.put("state", capsule.state().name().toLowerCase());
        n.put("admin", capsule.admin().map(URI::toString).orElse(null));
        n.put("audit_log", capsule.auditLog().map(Path::toString).orElse(null));
        n.put("started_at", capsule.startedAt().toString());
        ObjectNode details = n.putObject("details");
        capsule.details().forEach(details::put);
        n.put("admin_token", capsule.adminToken().orElse(null));
        n.put("config", capsule.config().map(Path::toString).orElse(null));
        // the record may hold the sidecar's admin token: only its owner may read it
        Path tmp;
        try {
            tmp = Files.createTempFile(directory, capsule.id(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            tmp = Files.createTempFile(directory, capsule.id(), ".tmp");
        }
        Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Removes a capsule's record, if there is one.
     *
     * @param id capsule id
     * @throws IOException if it cannot be removed
     */
    public void remove(String id) throws IOException {
        Files.deleteIfExists(file(id));
    }

    /**
     * One capsule's record.
     *
     * @param id capsule id
     * @return the record, or empty
     * @throws IOException if it cannot be read
     */
    public Optional<Capsule> get(String id) throws IOException {
        Path file = file(id);
        return Files.exists(file) ? parse(file) : Optional.empty();
    }

    /**
     * Every record, oldest first; unreadable records are skipped.
     *
     * @return capsules as recorded (their state is what was last written)
     * @throws IOException if the directory cannot be listed
     */
    public List<Capsule> all() throws IOException {
        List<Capsule> result = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return result;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.json")) {
            for (Path f : files) {
                parse(f).ifPresent(result::add);
            }
        }
        result.sort(Comparator.comparing(Capsule::startedAt));
        return result;
    }

    private Path file(String id) {
        if (!SAFE_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("invalid capsule id: " + id);
        }
        return directory.resolve(id + ".json");
    }

    private static Optional<Capsule> parse(Path file) {
        try {
            JsonNode n = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            Map<String, String> details = new LinkedHashMap<>();
            n.path("details").properties().forEach(e -> details.put(e.getKey(), e.getValue().asText()));
            return Optional.of(new Capsule(n.get("id").asText(), n.get("runtime").asText(), n.get("project").asText(),
                    Path.of(n.get("project_dir").asText()),
                    Capsule.State.valueOf(n.get("state").asText().toUpperCase()),
                    text(n, "admin").map(URI::create), text(n, "audit_log").map(Path::of),
                    Instant.parse(n.get("started_at").asText()), details, text(n, "admin_token"),
                    text(n, "config").map(Path::of)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }
}
