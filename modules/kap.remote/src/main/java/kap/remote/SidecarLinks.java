package kap.remote;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.databind.node.ObjectNode;

import kap.policy.AuditEvent;

/**
 * Follows every running capsule's sidecar event stream ({@code GET /events} on its admin listener, a channel on the
 * host that no capsule can reach) and hands each audit event to the hub and the approvals. The capsule list is
 * refreshed every {@link #REFRESH}; a link that drops reconnects with the time of the last event it saw, so nothing
 * is missed, and drops lines it has already seen.
 */
final class SidecarLinks implements AutoCloseable {

    /** How often the capsule list is read. */
    static final Duration REFRESH = Duration.ofSeconds(2);
    /** Longest SSE line read from a sidecar. */
    static final int MAX_LINE = 1024 * 1024;
    /** Events asked for when a link first connects. */
    static final int FIRST_BACKLOG = 200;

    private static final System.Logger LOG = System.getLogger("kap.remote");

    private final CapsuleSource source;
    private final EventHub hub;
    private final BiConsumer<CapsuleRef, AuditEvent> observer;
    private final Map<String, Link> links = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> denied = new ConcurrentHashMap<>();
    private volatile List<CapsuleRef> capsules = List.of();
    private volatile Instant refreshedAt = Instant.EPOCH;
    private volatile boolean closed;
    private Thread refresher;

    SidecarLinks(CapsuleSource source, EventHub hub, BiConsumer<CapsuleRef, AuditEvent> observer) {
        this.source = source;
        this.hub = hub;
        this.observer = observer;
    }

    void start() {
        refresh();
        refresher = Thread.ofVirtual().name("kap-remote-capsules").start(() -> {
            while (!closed) {
                try {
                    Thread.sleep(REFRESH);
                    refresh();
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** The capsules, read again if the last read is more than a second old. */
    List<CapsuleRef> capsules() {
        if (Duration.between(refreshedAt, Instant.now()).compareTo(Duration.ofSeconds(1)) > 0) {
            refresh();
        }
        return capsules;
    }

    Optional<CapsuleRef> capsule(String id) {
        return capsules().stream().filter(c -> c.id().equals(id)).findFirst();
    }

    boolean connected(String id) {
        Link link = links.get(id);
        return link != null && link.connected;
    }

    long denied(String id) {
        AtomicLong n = denied.get(id);
        return n == null ? 0 : n.get();
    }

    private synchronized void refresh() {
        try {
            capsules = List.copyOf(source.capsules());
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "[remote] cannot list capsules: " + e.getMessage());
            return;
        }
        refreshedAt = Instant.now();
        Map<String, CapsuleRef> wanted = new ConcurrentHashMap<>();
        for (CapsuleRef c : capsules) {
            if (c.running() && c.admin().isPresent() && c.adminToken().isPresent()) {
                wanted.put(c.id(), c);
            }
        }
        links.entrySet().removeIf(e -> {
            CapsuleRef now = wanted.get(e.getKey());
            boolean stale = now == null || !now.equals(e.getValue().capsule);
            if (stale) {
                e.getValue().close();
            }
            return stale;
        });
        if (!closed) {
            wanted.forEach((id, c) -> links.computeIfAbsent(id, k -> new Link(c).start()));
        }
    }

    @Override
    public void close() {
        closed = true;
        if (refresher != null) {
            refresher.interrupt();
        }
        links.values().forEach(Link::close);
        links.clear();
    }

    /** Follows one sidecar. */
    private final class Link {

        private final CapsuleRef capsule;
        private final SequencedSet<String> seen = new LinkedHashSet<>();
        private volatile boolean connected;
        private volatile boolean stopped;
        private volatile InputStream body;
        private Optional<String> lastTime = Optional.empty();
        private Thread thread;

        Link(CapsuleRef capsule) {
            this.capsule = capsule;
        }

        Link start() {
            thread = Thread.ofVirtual().name("kap-remote-link-" + capsule.id()).start(this::run);
            return this;
        }

        void close() {
            stopped = true;
            InputStream b = body;
            if (b != null) {
                try {
                    b.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
            thread.interrupt();
        }

        private void run() {
            long backoff = 500;
            while (!stopped) {
                try (InputStream in = new SidecarClient(capsule).events(lastTime, FIRST_BACKLOG).body()) {
                    body = in;
                    connected = true;
                    backoff = 500;
                    read(in);
                } catch (IOException | RuntimeException e) {
                    if (!stopped) {
                        LOG.log(System.Logger.Level.DEBUG, "[remote] " + capsule.id() + " events: " + e.getMessage());
                    }
                } catch (InterruptedException e) {
                    return;
                } finally {
                    connected = false;
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException e) {
                    return;
                }
                backoff = Math.min(backoff * 2, 10_000);
            }
        }

        private void read(InputStream in) throws IOException {
            StringBuilder data = new StringBuilder();
            String line;
            while (!stopped && (line = line(in)) != null) {
                if (line.startsWith("data: ")) {
                    data.append(line, 6, line.length());
                } else if (line.isEmpty() && !data.isEmpty()) {
                    dispatch(data.toString());
                    data.setLength(0);
                }
            }
        }

        private void dispatch(String json) {
            if (!seen.add(json)) {
                return;
            }
            if (seen.size() > 4096) {
                seen.removeFirst();
            }
            Optional<AuditEvent> parsed = AuditEvent.parse(json);
            if (parsed.isEmpty()) {
                return;
            }
            AuditEvent e = parsed.get();
            lastTime = Optional.of(e.time().toString());
            if (e.verdict() == AuditEvent.Outcome.DENY) {
                denied.computeIfAbsent(capsule.id(), k -> new AtomicLong()).incrementAndGet();
            }
            hub.publish("audit", json(capsule, e));
            observer.accept(capsule, e);
        }
    }

    /** The phone's form of an audit event: the event and the capsule it came from. */
    static ObjectNode json(CapsuleRef capsule, AuditEvent e) {
        ObjectNode n = Api.object().put("capsule", capsule.id()).put("project", capsule.project());
        try {
            n.setAll((ObjectNode) Api.JSON.readTree(e.toJson()));
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        return n;
    }

    /** One line, without its newline; {@code null} at the end. A longer line than {@link #MAX_LINE} ends the read. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                return buffer.toString(StandardCharsets.UTF_8);
            }
            if (buffer.size() >= MAX_LINE) {
                throw new IOException("line longer than " + MAX_LINE + " bytes");
            }
            buffer.write(b);
        }
        return buffer.size() == 0 ? null : buffer.toString(StandardCharsets.UTF_8);
    }
}
