package kap.remote;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * What every API handler shares: JSON in and out, the authenticated device, path parameters checked against a
 * pattern, and the one place errors become replies.
 */
final class Api {

    /** Request bodies larger than this are refused. */
    static final int MAX_BODY = 16 * 1024;
    /** Context key of the authenticated device. */
    static final String DEVICE = "kap.remote.device";

    static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static final System.Logger LOG = System.getLogger("kap.remote");

    private Api() {
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static void send(ServerResponse res, int status, JsonNode body) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        res.send(body.toString().getBytes(StandardCharsets.UTF_8));
    }

    static void ok(ServerResponse res, JsonNode body) {
        send(res, 200, body);
    }

    /** The one mapping from failures to replies: a safe message for ours, a generic one for anything else. */
    static void error(ServerResponse res, Throwable t) {
        if (t instanceof ApiException e) {
            send(res, e.status(), object().put("error", e.getMessage()));
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "[remote] request failed: " + t);
        send(res, 500, object().put("error", "internal error; see the daemon's log"));
    }

    /** The request body as a JSON object, at most {@link #MAX_BODY} bytes. */
    static JsonNode body(ServerRequest req) {
        byte[] bytes;
        try (InputStream in = req.content().inputStream()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        } catch (IOException e) {
            throw ApiException.badRequest("could not read the request body");
        }
        if (bytes.length > MAX_BODY) {
            throw new ApiException(413, "request body larger than " + MAX_BODY + " bytes");
        }
        try {
            JsonNode n = JSON.readTree(bytes);
            if (n == null || !n.isObject()) {
                throw ApiException.badRequest("the body must be a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw ApiException.badRequest("the body must be a JSON object");
        }
    }

    /** An optional string field of at most {@code max} characters. */
    static Optional<String> text(JsonNode n, String field, int max) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual() || v.asText().length() > max) {
            throw ApiException.badRequest(field + " must be a string of at most " + max + " characters");
        }
        return Optional.of(v.asText());
    }

    /** A path parameter that must match a pattern; ids never reach a shell or a file name unchecked. */
    static String param(ServerRequest req, String name, Pattern pattern) {
        String value = req.path().pathParameters().first(name).orElse("");
        if (!pattern.matcher(value).matches()) {
            throw ApiException.badRequest("invalid " + name);
        }
        return value;
    }

    static DeviceStore.Device device(ServerRequest req) {
        return req.context().get(DEVICE, DeviceStore.Device.class)
                .orElseThrow(() -> new ApiException(401, "a device token is required"));
    }
}
