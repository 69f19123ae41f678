package kap.remote;

import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Approval requests: {@code GET /api/requests}, and {@code POST /api/requests/<id>} with
 * {@code {"action":"once"|"minutes"|"permanent"|"pin"|"dismiss","minutes":5}}.
 */
final class ApprovalApi {

    static final Pattern REQUEST_ID = Pattern.compile("r-[0-9a-f]{12}");

    private final Approvals approvals;
    private final SidecarLinks links;

    ApprovalApi(Approvals approvals, SidecarLinks links) {
        this.approvals = approvals;
        this.links = links;
    }

    void routes(HttpRules rules) {
        rules.get("/api/requests", this::list).post("/api/requests/{request}", this::decide);
    }

    private void list(ServerRequest req, ServerResponse res) {
        ArrayNode array = Api.JSON.createArrayNode();
        approvals.list().forEach(array::add);
        Api.ok(res, Api.object().set("requests", array));
    }

    private void decide(ServerRequest req, ServerResponse res) {
        String id = Api.param(req, "request", REQUEST_ID);
        JsonNode body = Api.body(req);
        String action = Api.text(body, "action", 16).orElseThrow(() -> ApiException.badRequest("action is required"));
        int minutes = body.path("minutes").asInt(0);
        String capsuleId = approvals.capsuleOf(id).orElseThrow(() -> ApiException.notFound("no such request"));
        CapsuleRef capsule = links.capsule(capsuleId)
                .orElseThrow(() -> new ApiException(409, "capsule " + capsuleId + " is gone"));
        Api.ok(res, approvals.decide(id, action, minutes, capsule, Api.device(req).name()));
    }
}
