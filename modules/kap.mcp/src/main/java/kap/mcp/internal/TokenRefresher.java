package kap.mcp.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import kap.mcp.AuthRecord;
import kap.mcp.AuthStore;

/**
 * Refreshes an OAuth access token under the auth file's lock. Under the lock it re-reads the file first: if another
 * process (another sidecar, the host) already replaced the token we hold, that token is adopted and no request is
 * made; only otherwise does it send the refresh grant and write the new tokens back (mode 0600) before releasing the
 * lock. So however many refreshers race, the authorization server sees one refresh per stale token.
 */
final class TokenRefresher {

    /** A token this close to its expiry is refreshed before use. */
    static final Duration EARLY = Duration.ofMinutes(5);

    private static final System.Logger LOG = System.getLogger("kap.mcp");

    private final AuthStore store;
    private final String server;
    private final HttpClient http;

    TokenRefresher(AuthStore store, String server, HttpClient http) {
        this.store = store;
        this.server = server;
        this.http = http;
    }

    static boolean expiringSoon(AuthRecord a) {
        return a.expiresAt().map(t -> !Instant.now().plus(EARLY).isBefore(t)).orElse(false);
    }

    /**
     * Returns fresh credentials for a record whose access token was rejected or is about to expire.
     *
     * @param stale the record the caller used
     * @return the record now on disk: adopted from another refresher, or refreshed by this call
     * @throws IOException if the file cannot be read or written, or the authorization server refused
     */
    AuthRecord refresh(AuthRecord stale) throws IOException {
        return store.locked(server, () -> {
            AuthRecord onDisk = store.read(server).orElseThrow(() -> new IOException("auth file of '" + server
                    + "' disappeared"));
            if (!onDisk.accessToken().isEmpty() && !onDisk.accessToken().equals(stale.accessToken())
                    && !expiringSoon(onDisk)) {
                LOG.log(System.Logger.Level.INFO, "[mcp] " + server + ": token already refreshed by another process");
                return onDisk;
            }
            AuthRecord fresh = grant(onDisk);
            store.write(server, fresh);
            LOG.log(System.Logger.Level.INFO, "[mcp] " + server + ": access token refreshed");
            return fresh;
        });
    }

    private AuthRecord grant(AuthRecord a) throws IOException {
        if (!a.refreshable()) {
            throw new IOException("access token of '" + server + "' expired or was rejected, and there is no refresh"
                    + " token; run `kap mcp add " + server + " " + a.upstream() + " --reauth` on the host");
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", a.refreshToken().orElseThrow());
        form.put("client_id", a.clientId());
        a.clientSecret().ifPresent(s -> form.put("client_secret", s));
        a.resource().ifPresent(r -> form.put("resource", r));
        TokenResponse t = TokenResponse.post(http, URI.create(a.tokenEndpoint()), form, "token refresh");
        return a.withTokens(t.accessToken(), t.refreshToken(), t.expiresAt());
    }
}
