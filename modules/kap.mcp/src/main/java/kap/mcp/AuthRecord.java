package kap.mcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One server's registration: {@code ~/.kap/auth/<name>.json}. The format is the original kap's (upstream, client id
 * and secret, access and refresh token, token endpoint, expiry, headers) plus what OAuth 2.1 needs to refresh
 * correctly: the RFC 8707 {@code resource}, the scopes and the issuer.
 *
 * @param upstream the MCP endpoint URL
 * @param clientId OAuth client id; empty for header-only servers
 * @param clientSecret OAuth client secret, for confidential clients
 * @param accessToken OAuth access token or static bearer token; empty when none
 * @param refreshToken OAuth refresh token
 * @param tokenEndpoint OAuth token endpoint; empty when none
 * @param expiresAt when the access token expires
 * @param headers static upstream headers; values may hold {@code ${VAR}}
 * @param resource the RFC 8707 resource indicator sent with authorization and token requests
 * @param scopes scopes granted or requested
 * @param issuer the authorization server's issuer identifier
 */
public record AuthRecord(URI upstream, String clientId, Optional<String> clientSecret, String accessToken,
                         Optional<String> refreshToken, String tokenEndpoint, Optional<Instant> expiresAt,
                         Map<String, String> headers, Optional<String> resource, List<String> scopes,
                         Optional<String> issuer) {

    /** Auth files bigger than this are refused; real ones are a few kilobytes. */
    public static final int MAX_BYTES = 256 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx");

    /**
     * Validates and copies.
     */
    public AuthRecord {
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(refreshToken, "refreshToken");
        Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
        Objects.requireNonNull(expiresAt, "expiresAt");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(resource, "resource");
        scopes = List.copyOf(scopes);
        Objects.requireNonNull(issuer, "issuer");
    }

    /**
     * A header-only registration.
     *
     * @param upstream endpoint
     * @param headers headers sent upstream
     * @return record
     */
    public static AuthRecord withHeaders(URI upstream, Map<String, String> headers) {
        return new AuthRecord(upstream, "", Optional.empty(), "", Optional.empty(), "", Optional.empty(), headers,
                Optional.empty(), List.of(), Optional.empty());
    }

    /**
     * How the server authenticates: {@code headers}, {@code oauth}, {@code bearer} or {@code none}.
     *
     * @return kind
     */
    public String kind() {
        if (!accessToken.isEmpty()) {
            return refreshable() ? "oauth" : "bearer";
        }
        return headers.isEmpty() ? "none" : "headers";
    }

    /**
     * Whether the access token can be refreshed: there is a refresh token and a token endpoint.
     *
     * @return {@code true} if refreshable
     */
    public boolean refreshable() {
        return refreshToken.filter(t -> !t.isEmpty()).isPresent() && !tokenEndpoint.isEmpty();
    }

    /**
     * A copy with new tokens, as a refresh returns them.
     *
     * @param access new access token
     * @param refresh new refresh token, or empty to keep the current one
     * @param expires new expiry, or empty for none
     * @return record
     */
    public AuthRecord withTokens(String access, Optional<String> refresh, Optional<Instant> expires) {
        return new AuthRecord(upstream, clientId, clientSecret, access, refresh.or(() -> refreshToken),
                tokenEndpoint, expires, headers, resource, scopes, issuer);
    }

    /**
     * Parses an auth file.
     *
     * @param bytes file contents
     * @return the record
     * @throws IllegalArgumentException if it is not a valid auth file (the message says why)
     */
    public static AuthRecord parse(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("auth file larger than " + MAX_BYTES + " bytes");
        }
        JsonNode n;
        try {
            n = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject() || !n.path("upstream").isTextual()) {
            throw new IllegalArgumentException("missing \"upstream\"");
        }
        URI upstream;
        try {
            upstream = URI.create(n.get("upstream").asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid upstream URL: " + e.getMessage());
        }
        if (!"http".equals(upstream.getScheme()) && !"https".equals(upstream.getScheme())
                || upstream.getHost() == null) {
            throw new IllegalArgumentException("upstream must be an http or https URL: " + upstream);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        n.path("headers").properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
        List<String> scopes = new ArrayList<>();
        n.path("scopes").forEach(s -> scopes.add(s.asText()));
        return new AuthRecord(upstream, text(n, "client_id").orElse(""), text(n, "client_secret"),
                text(n, "access_token").orElse(""), text(n, "refresh_token"), text(n, "token_endpoint").orElse(""),
                text(n, "expires_at").map(AuthRecord::instant), headers, text(n, "resource"), scopes,
                text(n, "issuer"));
    }

    /**
     * The pretty JSON of the file; {@code headers}, {@code resource}, {@code scopes} and {@code issuer} are left out
     * when empty, as the original did with headers.
     *
     * @return JSON bytes
     */
    public byte[] toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("upstream", upstream.toString());
        n.put("client_id", clientId);
        n.put("client_secret", clientSecret.orElse(null));
        n.put("access_token", accessToken);
        n.put("refresh_token", refreshToken.orElse(null));
        n.put("token_endpoint", tokenEndpoint);
        n.put("expires_at", expiresAt.map(t -> RFC3339.format(t.atOffset(ZoneOffset.UTC))).orElse(null));
        if (!headers.isEmpty()) {
            ObjectNode h = n.putObject("headers");
            headers.forEach(h::put);
        }
        resource.ifPresent(r -> n.put("resource", r));
        if (!scopes.isEmpty()) {
            scopes.forEach(n.putArray("scopes")::add);
        }
        issuer.ifPresent(i -> n.put("issuer", i));
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<String> text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }

    private static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("invalid expires_at: " + text);
        }
    }
}
