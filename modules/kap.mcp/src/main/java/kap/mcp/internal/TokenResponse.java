package kap.mcp.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A token endpoint's answer (RFC 6749 §5.1), for the code exchange and for refreshes.
 *
 * @param accessToken the access token
 * @param refreshToken a new refresh token, if the server rotated it
 * @param expiresAt when the access token expires, if the server said
 * @param scope the granted scopes, if the server said
 */
record TokenResponse(String accessToken, Optional<String> refreshToken, Optional<Instant> expiresAt,
                     Optional<String> scope) {

    static final Duration TIMEOUT = Duration.ofSeconds(15);
    static final int MAX_BYTES = 64 * 1024;

    /**
     * POSTs a form to a token endpoint and reads the answer.
     *
     * @throws IOException if the request fails or the answer is an error or not a bearer token
     */
    static TokenResponse post(HttpClient http, URI endpoint, Map<String, String> form, String what)
            throws IOException {
        String body = form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(what + " interrupted");
        }
        byte[] bytes = response.body();
        if (bytes.length > MAX_BYTES) {
            throw new IOException(what + " failed: answer larger than " + MAX_BYTES + " bytes");
        }
        JsonNode n;
        try {
            n = Json.read(bytes);
        } catch (IOException e) {
            throw new IOException(what + " failed: HTTP " + response.statusCode() + ", not JSON");
        }
        if (response.statusCode() / 100 != 2 || n.has("error")) {
            throw new IOException(what + " failed: HTTP " + response.statusCode() + " " + n.path("error").asText("")
                    + (n.has("error_description") ? " (" + n.get("error_description").asText() + ")" : ""));
        }
        String type = n.path("token_type").asText("bearer");
        if (!n.path("access_token").isTextual() || n.get("access_token").asText().isEmpty()
                || !"bearer".equals(type.toLowerCase(Locale.ROOT))) {
            throw new IOException(what + " failed: the answer holds no bearer access_token");
        }
        Optional<Instant> expires = n.path("expires_in").canConvertToLong()
                ? Optional.of(Instant.now().plusSeconds(n.get("expires_in").asLong())) : Optional.empty();
        return new TokenResponse(n.get("access_token").asText(), text(n, "refresh_token"), expires,
                text(n, "scope"));
    }

    private static Optional<String> text(JsonNode n, String field) {
        return n.path(field).isTextual() && !n.get(field).asText().isEmpty() ? Optional.of(n.get(field).asText())
                : Optional.empty();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
