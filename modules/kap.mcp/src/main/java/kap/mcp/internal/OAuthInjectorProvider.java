package kap.mcp.internal;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import kap.mcp.AuthRecord;
import kap.mcp.spi.AuthInjector;
import kap.mcp.spi.AuthInjectorProvider;
import kap.mcp.spi.InjectorContext;

/**
 * {@code oauth}: an OAuth 2.1 access token with a refresh token. The token is refreshed before it expires (5 minutes
 * ahead) and once when the upstream answers 401; every refresh runs under the auth file's lock and first re-reads the
 * file, so when several sidecars (or requests) race, one refreshes and the others adopt its token.
 */
public final class OAuthInjectorProvider implements AuthInjectorProvider {

    /**
     * Required public constructor for ServiceLoader.
     */
    public OAuthInjectorProvider() {
    }

    @Override
    public String type() {
        return "oauth";
    }

    @Override
    public int order() {
        return 30;
    }

    @Override
    public Optional<AuthInjector> create(InjectorContext context) {
        if (!context.auth().refreshable()) {
            return Optional.empty();
        }
        return Optional.of(new OAuthInjector(context.auth(), new TokenRefresher(context.store(), context.server(),
                context.http())));
    }

    private static final class OAuthInjector implements AuthInjector {
        private final TokenRefresher refresher;
        private volatile AuthRecord current;

        OAuthInjector(AuthRecord auth, TokenRefresher refresher) {
            this.current = auth;
            this.refresher = refresher;
        }

        @Override
        public Map<String, String> headers() throws IOException {
            AuthRecord a = current;
            if (a.accessToken().isEmpty() || TokenRefresher.expiringSoon(a)) {
                a = refresher.refresh(a);
                current = a;
            }
            return Map.of("Authorization", "Bearer " + a.accessToken());
        }

        @Override
        public boolean refreshAfterUnauthorized(Map<String, String> rejected) throws IOException {
            AuthRecord a = current;
            if (!("Bearer " + a.accessToken()).equals(rejected.get("Authorization"))) {
                return true;
            }
            AuthRecord fresh = refresher.refresh(a);
            current = fresh;
            return !fresh.accessToken().equals(a.accessToken());
        }
    }
}
