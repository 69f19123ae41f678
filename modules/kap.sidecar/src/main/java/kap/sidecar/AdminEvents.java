package kap.sidecar;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.net.httpserver.HttpExchange;

import kap.policy.AuditEvent;
import kap.policy.AuditLog;

/**
 * {@code GET /events}: the audit log as server-sent events, for the host's remote daemon. Each event is
 * {@code id: <time>} and {@code data: <the JSON line>}. A client that reconnects sends {@code Last-Event-ID} (or
 * {@code ?since=<time>}) and first gets the events from that time on, read from the log file and its first rotated
 * file; {@code ?backlog=N} asks for the last N events instead. Events at exactly the given time are sent again, so
 * none is lost between two events with the same time stamp; clients drop the lines they already have.
 *
 * <p>A client that falls more than {@link #QUEUE} events behind gets an {@code overflow} event and is disconnected;
 * it reconnects and catches up from the file. A comment line every {@link #HEARTBEAT_SECONDS} seconds shows a dead
 * connection.
 */
final class AdminEvents {

    /** Most events sent from the file on connect. */
    static final int MAX_BACKLOG = 1000;
    /** Live events buffered per client. */
    static final int QUEUE = 1024;
    /** Seconds between heartbeat comments. */
    static final int HEARTBEAT_SECONDS = 15;

    private static final System.Logger LOG = System.getLogger("kap.sidecar");

    private final AuditLog audit;
    private final AdminHttp http;
    private volatile boolean closed;

    AdminEvents(AuditLog audit, AdminHttp http) {
        this.audit = audit;
        this.http = http;
    }

    void handle(HttpExchange exchange) throws IOException {
        if (!AdminHttp.method(exchange, "GET") || !http.authorized(exchange)) {
            return;
        }
        Optional<Instant> since;
        int backlog;
        try {
            since = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Last-Event-ID"))
                    .or(() -> query(exchange, "since")).filter(s -> !s.isBlank()).map(Instant::parse);
            backlog = query(exchange, "backlog").map(Integer::parseInt).orElse(since.isPresent() ? MAX_BACKLOG : 0);
        } catch (DateTimeParseException | NumberFormatException e) {
            AdminHttp.send(exchange, 400, AdminHttp.error("since must be an RFC 3339 time and backlog a number"));
            return;
        }
        BlockingQueue<AuditEvent> queue = new ArrayBlockingQueue<>(QUEUE);
        AtomicBoolean overflow = new AtomicBoolean();
        try (AutoCloseable subscription = audit.subscribe(e -> {
            if (!queue.offer(e)) {
                overflow.set(true);
            }
        })) {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(": kap sidecar events\n\n".getBytes(StandardCharsets.UTF_8));
                for (AuditEvent e : backlog(since, Math.clamp(backlog, 0, MAX_BACKLOG))) {
                    write(out, e);
                }
                out.flush();
                stream(out, queue, overflow);
            }
        } catch (IOException e) {
            // the client went away; nothing to tell anyone
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "[admin] event stream failed: " + e);
        }
    }

    void close() {
        closed = true;
    }

    private void stream(OutputStream out, BlockingQueue<AuditEvent> queue, AtomicBoolean overflow)
            throws IOException, InterruptedException {
        int idle = 0;
        while (!closed) {
            AuditEvent e = queue.poll(1, TimeUnit.SECONDS);
            if (overflow.get()) {
                out.write("event: overflow\ndata: {}\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                return;
            }
            if (e != null) {
                idle = 0;
                write(out, e);
                while ((e = queue.poll()) != null) {
                    write(out, e);
                }
                out.flush();
            } else if (++idle >= HEARTBEAT_SECONDS) {
                idle = 0;
                out.write(":\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }
    }

    private Deque<AuditEvent> backlog(Optional<Instant> since, int limit) throws IOException {
        Deque<AuditEvent> result = new ArrayDeque<>();
        if (limit == 0) {
            return result;
        }
        Path file = audit.file();
        for (Path f : new Path[] {file.resolveSibling(file.getFileName() + ".1"), file}) {
            try (BufferedReader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    Optional<AuditEvent> e = AuditEvent.parse(line);
                    if (e.isPresent() && since.map(s -> !e.get().time().isBefore(s)).orElse(true)) {
                        result.addLast(e.get());
                        if (result.size() > limit) {
                            result.removeFirst();
                        }
                    }
                }
            } catch (NoSuchFileException e) {
                // no rotated file yet
            }
        }
        return result;
    }

    private static void write(OutputStream out, AuditEvent e) throws IOException {
        out.write(("id: " + e.time() + "\ndata: " + e.toJson() + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    static Optional<String> query(HttpExchange exchange, String name) {
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null) {
            return Optional.empty();
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                return Optional.of(URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }
}
