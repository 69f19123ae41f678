package kap.mcp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Tool pins, the rug-pull guard: {@code <auth_dir>/pins/<server>.json}, one file per server, in the auth directory
 * that the host and every sidecar already share.
 *
 * <p>The sidecar calls {@link #observe} with the hash of every allowed tool it lists: a new tool is pinned, a changed
 * one is marked pending and stays hidden (and its calls denied, {@link #changed}) until {@link #approve} (the host's
 * {@code kap mcp approve}, or the phone) accepts the new definition. Writers hold {@code <server>.lock} and re-read
 * the file first; readers re-read a file at most every {@link #RECHECK_NANOS}, so an approval made on the host is seen
 * by a running sidecar within a quarter of a second, and reported as an {@link PinEvent.Kind#APPROVED} event.
 * Thread-safe.
 */
public final class PinStore {

    /** How often a cached pin file is compared with the disk. */
    public static final long RECHECK_NANOS = 250_000_000L;
    /** Pins kept per server; past this new tools are not pinned (and so stay hidden). */
    public static final int MAX_PINS = 10_000;

    private final Path dir;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final List<Consumer<PinEvent>> listeners = new CopyOnWriteArrayList<>();

    private PinStore(Path dir) {
        this.dir = dir;
    }

    /**
     * The pin store of an auth directory ({@code <auth_dir>/pins}).
     *
     * @param authDir the auth directory
     * @return store
     */
    public static PinStore at(Path authDir) {
        return new PinStore(Objects.requireNonNull(authDir, "authDir").toAbsolutePath().normalize().resolve("pins"));
    }

    /**
     * A server's pin file.
     *
     * @param server server name
     * @return path
     */
    public Path file(String server) {
        return AuthStore.at(dir).file(server);
    }

    /**
     * Calls the listener with every pin event this store causes or notices.
     *
     * @param listener listener; must be quick
     */
    public void onEvent(Consumer<PinEvent> listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    /**
     * A server's pins, sorted by tool.
     *
     * @param server server name
     * @return pins
     * @throws IOException if the file cannot be read
     */
    public List<Pin> pins(String server) throws IOException {
        List<Pin> pins = new ArrayList<>(current(server, true).values());
        pins.sort(java.util.Comparator.comparing(Pin::tool));
        return pins;
    }

    /**
     * A number that changes whenever a server's pins change, here or on disk (checked as often as {@link #changed}
     * checks). Callers that cache what pins decided compare it.
     *
     * @param server server name
     * @return version
     * @throws IOException if the file cannot be read
     */
    public long version(String server) throws IOException {
        current(server, false);
        Cached c = cache.get(server);
        return c == null ? 0 : c.version();
    }

    /**
     * Whether a tool's definition changed and waits for approval. Unknown tools and unreadable files are not
     * "changed" (the policy still decides them); a broken pin file is logged by {@link #observe}.
     *
     * @param server server name
     * @param tool tool name
     * @return {@code true} if calls must be denied
     */
    public boolean changed(String server, String tool) {
        try {
            Pin pin = current(server, false).get(tool);
            return pin != null && pin.changed();
        } catch (IOException | IllegalArgumentException e) {
            // fail closed: a pin file we cannot read cannot vouch for the tool
            return true;
        }
    }

    /**
     * Records what the sidecar saw in a tool list and says which tools may be shown.
     *
     * @param server server name
     * @param hashes tool name to the hash of its definition
     * @return tool name to {@code true} if it may be shown (pinned now or unchanged), {@code false} if it is held back
     * @throws IOException if the pin file cannot be read or written
     */
    public Map<String, Boolean> observe(String server, Map<String, String> hashes) throws IOException {
        Map<String, Pin> now = current(server, false);
        if (hashes.entrySet().stream().allMatch(e -> {
            Pin p = now.get(e.getKey());
            return p != null && p.sha256().equals(e.getValue()) && !p.changed();
        })) {
            Map<String, Boolean> all = new LinkedHashMap<>();
            hashes.keySet().forEach(k -> all.put(k, true));
            return all;
        }
        List<PinEvent> events = new ArrayList<>();
        Map<String, Boolean> shown = new LinkedHashMap<>();
        update(server, pins -> {
            Instant t = Instant.now();
            for (var e : hashes.entrySet()) {
                Pin p = pins.get(e.getKey());
                if (p == null) {
                    boolean room = pins.size() < MAX_PINS;
                    if (room) {
                        pins.put(e.getKey(), new Pin(e.getKey(), e.getValue(), t, Optional.empty(), Optional.empty()));
                        events.add(new PinEvent(server, e.getKey(), PinEvent.Kind.PINNED, e.getValue(),
                                Optional.empty()));
                    }
                    shown.put(e.getKey(), room);
                } else if (p.sha256().equals(e.getValue())) {
                    // back to the approved definition: nothing is pending any more
                    pins.put(e.getKey(), new Pin(p.tool(), p.sha256(), p.pinnedAt(), Optional.empty(),
                            Optional.empty()));
                    shown.put(e.getKey(), true);
                } else {
                    if (!p.pendingSha256().equals(Optional.of(e.getValue()))) {
                        pins.put(e.getKey(), new Pin(p.tool(), p.sha256(), p.pinnedAt(), Optional.of(e.getValue()),
                                Optional.of(t)));
                        events.add(new PinEvent(server, e.getKey(), PinEvent.Kind.CHANGED, p.sha256(),
                                Optional.of(e.getValue())));
                    }
                    shown.put(e.getKey(), false);
                }
            }
            return true;
        });
        events.forEach(this::publish);
        return shown;
    }

    /**
     * Approves a tool's changed definition: it becomes the pinned one and the tool is shown and callable again.
     *
     * @param server server name
     * @param tool tool name
     * @return the pin after approval
     * @throws IOException if the pin file cannot be read or written
     * @throws IllegalArgumentException if the tool has no pin, or no change waits for approval
     */
    public Pin approve(String server, String tool) throws IOException {
        Pin[] result = new Pin[1];
        update(server, pins -> {
            Pin p = pins.get(tool);
            if (p == null) {
                throw new IllegalArgumentException("no pin for tool '" + tool + "' of server '" + server
                        + "': the sidecar has not listed it yet");
            }
            if (!p.changed()) {
                throw new IllegalArgumentException("tool '" + tool + "' of server '" + server
                        + "' has no change waiting for approval");
            }
            result[0] = new Pin(tool, p.pendingSha256().orElseThrow(), Instant.now(), Optional.empty(),
                    Optional.empty());
            pins.put(tool, result[0]);
            return true;
        });
        publish(new PinEvent(server, tool, PinEvent.Kind.APPROVED, result[0].sha256(), Optional.empty()));
        return result[0];
    }

    private void update(String server, Mutation mutation) throws IOException {
        Path file = file(server);
        AuthStore.withLock(file.resolveSibling(server + ".lock"), () -> {
            Cached fresh = load(server, file);
            Map<String, Pin> pins = new LinkedHashMap<>(fresh.pins());
            if (mutation.apply(pins)) {
                byte[] bytes = PinCodec.write(server, pins);
                AuthStore.writePrivate(file, bytes);
                Cached old = cache.get(server);
                cache.put(server, new Cached(bytes, Map.copyOf(pins), System.nanoTime(),
                        old == null ? 1 : old.version() + 1));
            }
            return null;
        });
    }

    private Map<String, Pin> current(String server, boolean force) throws IOException {
        Cached c = cache.get(server);
        if (c != null && !force && System.nanoTime() - c.checkedAt() < RECHECK_NANOS) {
            return c.pins();
        }
        return load(server, file(server)).pins();
    }

    private Cached load(String server, Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            bytes = new byte[0];
        }
        Cached old = cache.get(server);
        if (old != null && Arrays.equals(old.bytes(), bytes)) {
            Cached same = new Cached(old.bytes(), old.pins(), System.nanoTime(), old.version());
            cache.put(server, same);
            return same;
        }
        Cached next = new Cached(bytes, bytes.length == 0 ? Map.of() : PinCodec.read(bytes), System.nanoTime(),
                old == null ? 1 : old.version() + 1);
        cache.put(server, next);
        if (old != null) {
            noticeApprovals(server, old.pins(), next.pins());
        }
        return next;
    }

    /** An approval written by another process shows as a pending change that became the pinned hash. */
    private void noticeApprovals(String server, Map<String, Pin> before, Map<String, Pin> after) {
        for (Pin was : before.values()) {
            Pin is = after.get(was.tool());
            if (was.changed() && is != null && !is.changed() && was.pendingSha256().get().equals(is.sha256())) {
                publish(new PinEvent(server, was.tool(), PinEvent.Kind.APPROVED, is.sha256(), Optional.empty()));
            }
        }
    }

    private void publish(PinEvent event) {
        listeners.forEach(l -> l.accept(event));
    }

    @FunctionalInterface
    private interface Mutation {
        boolean apply(Map<String, Pin> pins);
    }

    private record Cached(byte[] bytes, Map<String, Pin> pins, long checkedAt, long version) {
    }
}
