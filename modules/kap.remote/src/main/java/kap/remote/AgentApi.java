package kap.remote;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * A capsule's agent, under {@code /api/capsules/<id>/agent/sessions}: the list, one session's timeline (with the
 * count of malformed lines skipped), its live stream, whether it is running, cancel, and a follow-up prompt.
 */
final class AgentApi {

    private static final String BASE = "/api/capsules/{capsule}/agent/sessions";

    private final CapsuleApi capsules;
    private final CapsuleSource source;
    private final Streams streams;

    AgentApi(CapsuleApi capsules, CapsuleSource source, Streams streams) {
        this.capsules = capsules;
        this.source = source;
        this.streams = streams;
    }

    void routes(HttpRules rules) {
        rules.get(BASE, this::list)
                .get(BASE + "/{session}", this::timeline)
                .get(BASE + "/{session}/stream", this::stream)
                .get(BASE + "/{session}/status", this::status)
                .post(BASE + "/{session}/cancel", this::cancel)
                .post(BASE + "/{session}/message", this::message);
    }

    private AgentSessions sessions(ServerRequest req) {
        CapsuleRef c = capsules.capsule(req);
        AgentShell shell = source.shell(c).orElseThrow(() -> new ApiException(501, "the " + c.runtime()
                + " runtime cannot reach into its capsules, so the agent is not available for " + c.project()));
        return new AgentSessions(shell, source.sessionRoots(c));
    }

    private static String session(ServerRequest req) {
        return Api.param(req, "session", AgentSessions.SESSION_ID);
    }

    private void list(ServerRequest req, ServerResponse res) throws Exception {
        ArrayNode array = Api.JSON.createArrayNode();
        sessions(req).list().forEach(s -> array.add(s.toJson()));
        Api.ok(res, Api.object().set("sessions", array));
    }

    private void timeline(ServerRequest req, ServerResponse res) throws Exception {
        AgentSessions.Chunk chunk = sessions(req).read(session(req), -1);
        Timeline.Parsed parsed = Timeline.parse(chunk.lines());
        ArrayNode array = Api.JSON.createArrayNode();
        parsed.events().forEach(e -> array.add(e.toJson()));
        Api.ok(res, Api.object().put("malformed", parsed.malformed()).put("next", chunk.next())
                .set("events", array));
    }

    private void stream(ServerRequest req, ServerResponse res) throws Exception {
        AgentSessions sessions = sessions(req);
        String id = session(req);
        long[] offset = {req.query().first("from").map(Long::parseLong).orElse(-1L)};
        if (offset[0] < 0) {
            offset[0] = sessions.read(id, -1).size();
        }
        Set<String> sent = new HashSet<>();
        int[] tick = {0};
        try (Streams.Stream stream = streams.open(Api.device(req).id())) {
            res.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
            try (OutputStream out = res.outputStream()) {
                out.write(": kap agent\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                stream.pump(out, () -> {
                    if (++tick[0] % 2 != 0) {
                        return List.of();
                    }
                    AgentSessions.Chunk chunk = sessions.read(id, offset[0]);
                    offset[0] = chunk.next();
                    List<String> frames = new ArrayList<>();
                    for (SessionEvent e : Timeline.parse(chunk.lines()).events()) {
                        if (e.uuid().map(sent::add).orElse(true)) {
                            frames.add("event: agent\ndata: " + e.toJson() + "\n\n");
                        }
                    }
                    return frames;
                });
            }
        }
    }

    private void status(ServerRequest req, ServerResponse res) throws Exception {
        Api.ok(res, Api.object().put("running", sessions(req).running(session(req))));
    }

    private void cancel(ServerRequest req, ServerResponse res) throws Exception {
        AgentSessions sessions = sessions(req);
        Optional<String> pid = sessions.cancel(cwd(sessions, session(req)));
        Api.ok(res, Api.object().put("cancelled", pid.isPresent()).put("message", pid.map(p -> "SIGINT sent to the "
                + "agent (pid " + p + ")").orElse("no agent process is running")));
    }

    private void message(ServerRequest req, ServerResponse res) throws Exception {
        AgentSessions sessions = sessions(req);
        String id = session(req);
        JsonNode body = Api.body(req);
        String message = Api.text(body, "message", AgentSessions.MAX_MESSAGE)
                .orElseThrow(() -> ApiException.badRequest("message is required")).strip();
        if (message.isEmpty()) {
            throw ApiException.badRequest("message cannot be empty");
        }
        String pid = sessions.message(id, message, cwd(sessions, id));
        Api.ok(res, Api.object().put("sent", true).put("session_id", id).put("pid", pid));
    }

    private static Optional<String> cwd(AgentSessions sessions, String id) throws java.io.IOException {
        return sessions.list().stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> ApiException.notFound("session not found")).cwd();
    }
}
