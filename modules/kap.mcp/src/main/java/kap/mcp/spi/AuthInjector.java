package kap.mcp.spi;

import java.io.IOException;
import java.util.Map;

/**
 * Credentials for one upstream server. Thread-safe: many requests use one injector at once.
 */
public interface AuthInjector {

    /**
     * The headers to add to the next upstream request. Names are compared without case; {@code Host},
     * {@code Content-Length}, {@code Connection} and other headers the HTTP client owns are ignored.
     *
     * @return headers, possibly empty, never {@code null}
     * @throws IOException if the credentials cannot be produced (for example a refresh that failed); the request
     *         then fails with 502 and is not sent
     */
    Map<String, String> headers() throws IOException;

    /**
     * Called once when the upstream answered 401 to a request made with {@code rejected}; an injector that can get
     * fresh credentials does so and returns {@code true}, and the proxy retries the request once.
     *
     * @param rejected the headers the rejected request carried
     * @return {@code true} if {@link #headers()} now returns different credentials
     * @throws IOException if getting fresh credentials failed
     */
    default boolean refreshAfterUnauthorized(Map<String, String> rejected) throws IOException {
        return false;
    }
}
