package kap.remote;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Talks to one sidecar's admin listener on host loopback, with its admin token: health, the event stream, grants and
 * approval records. Never through a proxy, never following redirects.
 */
final class SidecarClient {

    /** Replies larger than this are refused. */
    static final int MAX_REPLY = 1024 * 1024;

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER).proxy(HttpClient.Builder.NO_PROXY).build();

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final CapsuleRef capsule;
    private final URI admin;

    SidecarClient(CapsuleRef capsule) {
        this.capsule = capsule;
        this.admin = capsule.admin().orElseThrow(() -> new ApiException(409, "capsule " + capsule.id()
                + " has no admin address on this host"));
    }

    /** The sidecar's health, or empty if it does not answer. */
    Optional<JsonNode> health() {
        try {
            HttpResponse<InputStream> r = HTTP.send(request("/health").timeout(Duration.ofSeconds(1)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            return r.statusCode() == 200 ? Optional.of(read(r)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    JsonNode grants() {
        return call("GET", "/grants", null);
    }

    JsonNode grant(String scope, String pattern, long ttlSeconds, boolean once, String by, String subject) {
        ObjectNode body = Api.object().put("scope", scope).put("pattern", pattern).put("ttl_seconds", ttlSeconds)
                .put("once", once).put("by", by).put("subject", subject);
        return call("POST", "/grants", body).path("grant");
    }

    JsonNode revokeGrant(String id) {
        return call("DELETE", "/grants/" + id, null);
    }

    JsonNode approval(ObjectNode body) {
        return call("POST", "/approvals", body);
    }

    /** Opens the event stream from a time (inclusive), or with the last {@code backlog} events. */
    HttpResponse<InputStream> events(Optional<String> since, int backlog) throws IOException, InterruptedException {
        HttpRequest.Builder b = request("/events" + (since.isPresent() ? "" : "?backlog=" + backlog)).GET();
        since.ifPresent(s -> b.header("Last-Event-ID", s));
        HttpResponse<InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            String error = read(r).path("error").asText("status " + r.statusCode());
            throw new IOException("sidecar refused the event stream: " + error);
        }
        return r;
    }

    private JsonNode call(String method, String path, JsonNode body) {
        HttpRequest.Builder b = request(path).timeout(TIMEOUT).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()));
        try {
            HttpResponse<InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            JsonNode reply = read(r);
            if (r.statusCode() >= 400) {
                throw new ApiException(r.statusCode() == 400 ? 400 : 502, "the sidecar of " + capsule.project()
                        + " refused: " + reply.path("error").asText("status " + r.statusCode()));
            }
            return reply;
        } catch (IOException e) {
            throw new ApiException(502, "the sidecar of " + capsule.project() + " does not answer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted");
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(admin.resolve(path)).timeout(TIMEOUT);
        capsule.adminToken().ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return b;
    }

    private static JsonNode read(HttpResponse<InputStream> r) throws IOException {
        try (InputStream in = r.body()) {
            byte[] bytes = in.readNBytes(MAX_REPLY);
            if (bytes.length == 0) {
                return Api.object();
            }
            try {
                return Api.JSON.readTree(bytes);
            } catch (IOException e) {
                return Api.object().put("error", "not JSON");
            }
        }
    }
}
