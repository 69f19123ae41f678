package kap.remote;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Paired devices, in {@code devices.json} (mode 0600): id, name, when paired and last seen, and the SHA-256 of the
 * device's token, never the token itself. Writers, the daemon and {@code kap remote revoke}, take a file lock and
 * re-read first. The daemon notices a change made by another process on its next check and reports the devices that
 * disappeared, so their open streams close.
 *
 * <p>Thread-safe.
 */
final class DeviceStore {

    /** Paired devices kept at most. */
    static final int MAX_DEVICES = 64;
    /** How often {@code last_seen} is written at most, per device. */
    static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final Path lock;
    private final List<Consumer<Device>> revoked = new CopyOnWriteArrayList<>();
    private volatile Snapshot snapshot = new Snapshot(new byte[0], List.of());

    private DeviceStore(Path file) {
        this.file = file;
        this.lock = file.resolveSibling(file.getFileName() + ".lock");
    }

    static DeviceStore open(Path file) throws IOException {
        DeviceStore store = new DeviceStore(file);
        store.reload();
        return store;
    }

    /** Calls the listener with every device that is revoked, by this process or another. */
    void onRevoke(Consumer<Device> listener) {
        revoked.add(listener);
    }

    List<Device> list() {
        return snapshot.devices();
    }

    /** Pairs a device: a new random token, of which only the hash is kept. */
    Issued pair(String name) throws IOException {
        String token = token();
        Device device = new Device("d-" + HexFormat.of().formatHex(random(6)), name, hash(token), Instant.now(),
                Instant.now());
        update(devices -> {
            if (devices.size() >= MAX_DEVICES) {
                throw new IllegalStateException("already " + MAX_DEVICES + " paired devices; revoke one first");
            }
            List<Device> next = new ArrayList<>(devices);
            next.add(device);
            return next;
        });
        return new Issued(device, token);
    }

    /** The device a token belongs to. Compares hashes in constant time against every device. */
    Optional<Device> authenticate(String token) {
        if (token == null || token.isBlank() || token.length() > 256) {
            return Optional.empty();
        }
        byte[] given = hash(token).getBytes(StandardCharsets.US_ASCII);
        Device found = null;
        for (Device d : snapshot.devices()) {
            if (MessageDigest.isEqual(given, d.tokenHash().getBytes(StandardCharsets.US_ASCII))) {
                found = d;
            }
        }
        return Optional.ofNullable(found);
    }

    boolean revoke(String id) throws IOException {
        boolean[] found = {false};
        update(devices -> {
            List<Device> next = new ArrayList<>();
            for (Device d : devices) {
                if (d.id().equals(id)) {
                    found[0] = true;
                } else {
                    next.add(d);
                }
            }
            return next;
        });
        return found[0];
    }

    /** Records that a device was seen, at most once per {@link #TOUCH_INTERVAL}. */
    void touch(Device device) throws IOException {
        if (Duration.between(device.lastSeen(), Instant.now()).compareTo(TOUCH_INTERVAL) < 0) {
            return;
        }
        Instant now = Instant.now();
        update(devices -> devices.stream().map(d -> d.id().equals(device.id())
                ? new Device(d.id(), d.name(), d.tokenHash(), d.pairedAt(), now) : d).toList());
    }

    /** Re-reads the file if it changed, and reports devices that are gone. */
    synchronized void reload() throws IOException {
        byte[] bytes = read();
        if (Arrays.equals(bytes, snapshot.bytes())) {
            return;
        }
        apply(new Snapshot(bytes, parse(bytes)));
    }

    private synchronized void update(UnaryOperator<List<Device>> change) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = channel.lock()) {
            List<Device> next = change.apply(parse(read()));
            byte[] bytes = serialize(next);
            PrivateFiles.write(file, bytes);
            apply(new Snapshot(bytes, List.copyOf(next)));
        }
    }

    private void apply(Snapshot next) {
        Map<String, Device> before = new LinkedHashMap<>();
        snapshot.devices().forEach(d -> before.put(d.id(), d));
        snapshot = next;
        next.devices().forEach(d -> before.remove(d.id()));
        before.values().forEach(d -> revoked.forEach(l -> l.accept(d)));
    }

    private byte[] read() throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new byte[0];
        }
    }

    private static List<Device> parse(byte[] bytes) throws IOException {
        if (bytes.length == 0) {
            return List.of();
        }
        JsonNode root = JSON.readTree(bytes);
        List<Device> result = new ArrayList<>();
        for (JsonNode n : root.path("devices")) {
            result.add(new Device(n.path("id").asText(), n.path("name").asText(), n.path("token_hash").asText(),
                    Instant.parse(n.path("paired_at").asText()), Instant.parse(n.path("last_seen").asText())));
        }
        return List.copyOf(result);
    }

    private static byte[] serialize(List<Device> devices) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        ArrayNode array = root.putArray("devices");
        for (Device d : devices) {
            array.addObject().put("id", d.id()).put("name", d.name()).put("token_hash", d.tokenHash())
                    .put("paired_at", d.pairedAt().toString()).put("last_seen", d.lastSeen().toString());
        }
        return (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    static String token() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random(32));
    }

    static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** A paired device. The token hash is {@code sha256:<hex>}. */
    record Device(String id, String name, String tokenHash, Instant pairedAt, Instant lastSeen) {
    }

    /** A newly paired device and its token, which is shown once and never stored. */
    record Issued(Device device, String token) {
    }

    private record Snapshot(byte[] bytes, List<Device> devices) {
    }
}
