package kap.mcp;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@code kap mcp add} runs the OAuth 2.1 flow.
 *
 * @param clientId a pre-registered client id; empty to use dynamic client registration (RFC 7591)
 * @param clientSecret the pre-registered client's secret, if it is confidential
 * @param scopes scopes to ask for; empty to use what the server advertises
 * @param openBrowser open the authorization URL with {@code xdg-open} or {@code open} when one exists (the URL is
 *         printed either way)
 * @param timeout how long to wait for the browser to come back to the loopback callback
 */
public record OAuthOptions(Optional<String> clientId, Optional<String> clientSecret, List<String> scopes,
                           boolean openBrowser, Duration timeout) {

    /**
     * Validates and copies.
     */
    public OAuthOptions {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        scopes = List.copyOf(scopes);
        Objects.requireNonNull(timeout, "timeout");
    }
}
