package kap.remote;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import kap.policy.AuditEvent;
import kap.policy.AuditLog;

/**
 * Pairing and devices: {@code POST /api/pair} trades a pairing code (single use, short-lived, rate-limited) for a
 * device token; {@code GET /api/me} and {@code GET /api/devices} need that token.
 */
final class PairApi {

    private final PairingCodes codes;
    private final DeviceStore devices;
    private final AuditLog audit;

    PairApi(PairingCodes codes, DeviceStore devices, AuditLog audit) {
        this.codes = codes;
        this.devices = devices;
        this.audit = audit;
    }

    void routes(HttpRules rules) {
        rules.post("/api/pair", this::pair)
                .get("/api/me", (req, res) -> Api.ok(res, device(Api.device(req))))
                .get("/api/devices", this::list);
    }

    private void pair(ServerRequest req, ServerResponse res) throws IOException {
        JsonNode body = Api.body(req);
        String code = Api.text(body, "code", 64).orElse("");
        String name = Api.text(body, "name", 200).map(PairApi::clean).filter(n -> !n.isBlank()).orElse("phone");
        String client = req.remotePeer().host();
        switch (codes.redeem(code, client)) {
            case RATE_LIMITED -> {
                res.header(HeaderNames.RETRY_AFTER, Long.toString(PairingCodes.WINDOW.toSeconds()));
                throw new ApiException(429, "too many pairing attempts; wait a minute");
            }
            case INVALID -> {
                record("pairing refused", client, name, AuditEvent.Outcome.DENY);
                throw new ApiException(401, "this pairing code is not valid: it was used, it expired, or it is "
                        + "wrong. Run `kap remote pair` for a new one");
            }
            case PAIRED -> {
                DeviceStore.Issued issued;
                try {
                    issued = devices.pair(name);
                } catch (IllegalStateException e) {
                    throw new ApiException(409, e.getMessage());
                }
                record("device paired", client, name + " (" + issued.device().id() + ")", AuditEvent.Outcome.INFO);
                Api.ok(res, Api.object().put("token", issued.token()).set("device", device(issued.device())));
            }
            default -> throw new IllegalStateException();
        }
    }

    private void list(ServerRequest req, ServerResponse res) {
        ArrayNode array = Api.JSON.createArrayNode();
        devices.list().forEach(d -> array.add(device(d)));
        Api.ok(res, Api.object().set("devices", array));
    }

    private void record(String reason, String client, String subject, AuditEvent.Outcome outcome) {
        audit.record(new AuditEvent(Instant.now(), "remote", subject, outcome, reason, Optional.empty(),
                Optional.of(client), Map.of()));
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode device(DeviceStore.Device d) {
        return Api.object().put("id", d.id()).put("name", d.name()).put("paired_at", d.pairedAt().toString())
                .put("last_seen", d.lastSeen().toString());
    }

    /** A device name as the user typed it, without control characters, at most 40 characters. */
    static String clean(String name) {
        String s = name.replaceAll("\\p{C}", "").strip();
        return s.length() > 40 ? s.substring(0, 40) : s;
    }
}
