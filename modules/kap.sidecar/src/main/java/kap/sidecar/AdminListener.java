package kap.sidecar;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import kap.policy.AuditLog;
import kap.policy.ConfigProblem;
import kap.policy.KapConfig;
import kap.policy.LivePolicy;
import kap.sidecar.spi.Listener;

/**
 * The admin listener: {@code GET /health} and {@code GET /status}, as JSON, and, for the host's remote daemon, the
 * event stream ({@link AdminEvents}) and approvals ({@link AdminGrants}), which need the admin token. It binds only to
 * the admin address, which validation keeps apart from every capsule-facing address; the token keeps other local
 * processes out, since anything on the host can reach loopback.
 *
 * <p>The JDK's built-in HTTP server is enough for a handful of small endpoints and costs nothing at start-up, which
 * matters for the sidecar's time-to-ready.
 */
final class AdminListener {

    private final HttpServer server;
    private final LivePolicy policy;
    private final KapConfig startConfig;
    private final Map<String, Listener> listeners;
    private final AdminEvents events;

    private AdminListener(HttpServer server, LivePolicy policy, KapConfig startConfig, Map<String, Listener> listeners,
                          AdminEvents events) {
        this.server = server;
        this.policy = policy;
        this.startConfig = startConfig;
        this.listeners = Map.copyOf(listeners);
        this.events = events;
    }

    static AdminListener start(InetSocketAddress address, LivePolicy policy, KapConfig startConfig,
                               Map<String, Listener> listeners, AuditLog audit, Optional<String> token)
            throws IOException {
        HttpServer server = HttpServer.create(address, 16);
        AdminHttp http = new AdminHttp(token);
        AdminEvents events = new AdminEvents(audit, http);
        AdminGrants grants = new AdminGrants(policy, audit, http);
        AdminListener admin = new AdminListener(server, policy, startConfig, listeners, events);
        server.createContext("/health", admin::health);
        server.createContext("/status", admin::status);
        server.createContext("/events", events::handle);
        server.createContext("/grants", grants::grants);
        server.createContext("/approvals", grants::approvals);
        server.createContext("/", exchange -> AdminHttp.send(exchange, 404, AdminHttp.error("not found")));
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return admin;
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    void stop() {
        events.close();
        server.stop(0);
    }

    private void health(HttpExchange exchange) throws IOException {
        if (!"GET".equals(exchange.getRequestMethod())) {
            AdminHttp.send(exchange, 405, AdminHttp.error("method not allowed"));
            return;
        }
        AdminHttp.send(exchange, 200, AdminHttp.json(g -> {
            g.writeStringField("status", policy.lastError().isPresent() ? "degraded" : "ok");
            g.writeObjectFieldStart("listeners");
            for (var e : listeners.entrySet()) {
                g.writeStringField(e.getKey(), Sidecar.describe(e.getValue().addresses()));
            }
            g.writeEndObject();
            g.writeNumberField("policy_generation", policy.generation());
        }));
    }

    private void status(HttpExchange exchange) throws IOException {
        if (!"GET".equals(exchange.getRequestMethod())) {
            AdminHttp.send(exchange, 405, AdminHttp.error("method not allowed"));
            return;
        }
        AdminHttp.send(exchange, 200, AdminHttp.json(g -> {
            KapConfig now = policy.current().config();
            g.writeObjectFieldStart("policy");
            g.writeNumberField("generation", policy.generation());
            g.writeStringField("applied_at", policy.appliedAt().toString());
            g.writeArrayFieldStart("sources");
            for (var s : now.sources()) {
                g.writeString(s.toString());
            }
            g.writeEndArray();
            g.writeArrayFieldStart("warnings");
            for (ConfigProblem w : policy.warnings()) {
                g.writeString(w.toString());
            }
            g.writeEndArray();
            g.writeStringField("reload_error", policy.lastError().map(e -> e.message()).orElse(null));
            g.writeArrayFieldStart("grants");
            for (var grant : policy.current().activeGrants()) {
                g.writeStartObject();
                g.writeStringField("id", grant.id());
                g.writeStringField("scope", grant.scope().name().toLowerCase(java.util.Locale.ROOT));
                g.writeStringField("pattern", grant.pattern());
                g.writeStringField("expires_at", grant.expiresAt().toString());
                g.writeBooleanField("once", grant.once());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("restart_needed");
            for (String key : policy.restartNeeded(startConfig)) {
                g.writeString(key);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeObjectFieldStart("listeners");
            for (var e : listeners.entrySet()) {
                g.writeObjectFieldStart(e.getKey());
                g.writeStringField("address", Sidecar.describe(e.getValue().addresses()));
                for (var s : e.getValue().status().entrySet()) {
                    g.writeObjectField(s.getKey(), s.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        }));
    }
}
