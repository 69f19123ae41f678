package kap.mcp.internal;

import java.util.Map;
import java.util.Optional;

import kap.mcp.spi.AuthInjector;
import kap.mcp.spi.AuthInjectorProvider;
import kap.mcp.spi.InjectorContext;

/**
 * {@code bearer}: a static access token from the auth file ({@code access_token} without a refresh token or token
 * endpoint), sent as {@code Authorization: Bearer}. The token may be {@code ${VAR}}, expanded on every request.
 */
public final class BearerInjectorProvider implements AuthInjectorProvider {

    /**
     * Required public constructor for ServiceLoader.
     */
    public BearerInjectorProvider() {
    }

    @Override
    public String type() {
        return "bearer";
    }

    @Override
    public int order() {
        return 20;
    }

    @Override
    public Optional<AuthInjector> create(InjectorContext context) {
        if (context.auth().accessToken().isEmpty() || context.auth().refreshable()) {
            return Optional.empty();
        }
        String template = context.auth().accessToken();
        return Optional.of(() -> {
            String token = EnvLookup.expand(template, context.env());
            return token.isEmpty() || token.indexOf('\n') >= 0 || token.indexOf('\r') >= 0 ? Map.of()
                    : Map.of("Authorization", "Bearer " + token);
        });
    }
}
