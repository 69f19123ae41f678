package kap.remote;

import java.io.OutputStream;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Capsules and their events: {@code GET /api/capsules} (every capsule with its sidecar's health),
 * {@code GET /api/events} (recent audit events, {@code ?denied=true} for denials only), {@code GET /api/stream}
 * (server-sent events: audit events and approval requests as they happen, resumable with {@code Last-Event-ID}),
 * and a capsule's grants ({@code GET}, {@code DELETE /api/capsules/<id>/grants/<grant>}).
 */
final class CapsuleApi {

    static final Pattern CAPSULE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    static final Pattern GRANT_ID = Pattern.compile("g-[0-9a-f]{1,32}");

    private final SidecarLinks links;
    private final EventHub hub;
    private final Streams streams;

    CapsuleApi(SidecarLinks links, EventHub hub, Streams streams) {
        this.links = links;
        this.hub = hub;
        this.streams = streams;
    }

    void routes(HttpRules rules) {
        rules.get("/api/capsules", this::capsules)
                .get("/api/events", this::events)
                .get("/api/stream", this::stream)
                .get("/api/capsules/{capsule}/grants", this::grants)
                .delete("/api/capsules/{capsule}/grants/{grant}", this::revokeGrant);
    }

    CapsuleRef capsule(ServerRequest req) {
        String id = Api.param(req, "capsule", CAPSULE_ID);
        return links.capsule(id).orElseThrow(() -> ApiException.notFound("no capsule " + id));
    }

    private void capsules(ServerRequest req, ServerResponse res) {
        ArrayNode array = Api.JSON.createArrayNode();
        for (CapsuleRef c : links.capsules()) {
            ObjectNode n = array.addObject().put("id", c.id()).put("project", c.project()).put("runtime", c.runtime())
                    .put("state", c.state()).put("project_dir", c.projectDir().toString())
                    .put("started_at", c.startedAt().toString()).put("events_connected", links.connected(c.id()))
                    .put("denied", links.denied(c.id()));
            ObjectNode details = n.putObject("details");
            c.details().forEach(details::put);
            ObjectNode sidecar = n.putObject("sidecar");
            JsonNode health = c.admin().isPresent() && c.running() ? new SidecarClient(c).health().orElse(null) : null;
            sidecar.put("reachable", health != null);
            if (health != null) {
                sidecar.put("status", health.path("status").asText()).set("listeners", health.path("listeners"));
            }
        }
        Api.ok(res, Api.object().set("capsules", array));
    }

    private void events(ServerRequest req, ServerResponse res) {
        boolean deniedOnly = req.query().first("denied").map("true"::equals).orElse(false);
        String capsule = req.query().first("capsule").orElse("");
        int limit = req.query().first("limit").map(CapsuleApi::number).orElse(200);
        List<EventHub.Item> items = hub.since(0, i -> i.kind().equals("audit")
                && (capsule.isEmpty() || capsule.equals(i.data().path("capsule").asText()))
                && (!deniedOnly || i.data().path("verdict").asText().equals("deny")), Math.clamp(limit, 1, 1000));
        ArrayNode array = Api.JSON.createArrayNode();
        items.forEach(i -> array.add(i.data().deepCopy().put("seq", i.seq())));
        Api.ok(res, Api.object().set("events", array));
    }

    private void stream(ServerRequest req, ServerResponse res) throws Exception {
        DeviceStore.Device device = Api.device(req);
        long after = req.headers().first(HeaderNames.create("Last-Event-ID"))
                .or(() -> req.query().first("since").asOptional())
                .map(CapsuleApi::number).map(Long::valueOf).orElse(-1L);
        try (Streams.Stream stream = streams.open(device.id());
             AutoCloseable subscription = hub.subscribe(item -> stream.offer(item.frame()))) {
            res.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
            try (OutputStream out = res.outputStream()) {
                StringBuilder backlog = new StringBuilder(": kap remote\n\n");
                hub.since(Math.max(after, 0), i -> true, after < 0 ? 200 : EventHub.MAX_ITEMS)
                        .forEach(i -> backlog.append(i.frame()));
                out.write(backlog.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.flush();
                stream.pump(out, List::of);
            }
        }
    }

    private void grants(ServerRequest req, ServerResponse res) {
        Api.ok(res, new SidecarClient(capsule(req)).grants());
    }

    private void revokeGrant(ServerRequest req, ServerResponse res) {
        CapsuleRef c = capsule(req);
        Api.ok(res, new SidecarClient(c).revokeGrant(Api.param(req, "grant", GRANT_ID)));
    }

    private static int number(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("not a number: " + (s.length() > 20 ? s.substring(0, 20) : s));
        }
    }
}
