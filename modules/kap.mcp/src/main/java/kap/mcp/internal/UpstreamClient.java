package kap.mcp.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

/**
 * Sends one request upstream with the server's credentials, and retries it once with fresh credentials if the
 * upstream answers 401 and an injector could refresh. Only headers kap chose are sent: nothing the client sent
 * (its {@code Authorization}, cookies, anything else) reaches the upstream.
 */
final class UpstreamClient {

    static final String ACCEPT = "application/json, text/event-stream";

    private final HttpClient http;

    UpstreamClient(HttpClient http) {
        this.http = http;
    }

    /**
     * Sends and returns once the status and headers arrived; the caller must close the body.
     *
     * @param server server name, for messages
     * @param target where and with which credentials
     * @param method {@code POST}, {@code GET} or {@code DELETE}
     * @param body the POST body, or {@code null}
     * @param mcpHeaders MCP headers to send (session id, protocol version, last event id)
     * @param timeout time until the upstream starts answering
     * @throws ProxyException (upstream) if it cannot be reached or credentials cannot be produced
     */
    HttpResponse<InputStream> send(String server, Upstreams.Target target, String method, byte[] body,
                                   Map<String, String> mcpHeaders, Duration timeout) {
        Map<String, String> auth = credentials(server, target);
        HttpResponse<InputStream> response = once(server, target, method, body, mcpHeaders, timeout, auth);
        if (response.statusCode() != 401) {
            return response;
        }
        boolean fresh;
        try {
            fresh = target.refresh(auth);
        } catch (IOException e) {
            closeQuietly(response);
            throw ProxyException.upstream("MCP server \"" + server + "\" rejected kap's credentials and refreshing"
                    + " them failed: " + e.getMessage());
        }
        if (!fresh) {
            return response;
        }
        closeQuietly(response);
        return once(server, target, method, body, mcpHeaders, timeout, credentials(server, target));
    }

    private HttpResponse<InputStream> once(String server, Upstreams.Target target, String method, byte[] body,
                                           Map<String, String> mcpHeaders, Duration timeout,
                                           Map<String, String> auth) {
        HttpRequest.Builder b = HttpRequest.newBuilder(target.url()).timeout(timeout);
        if ("http".equals(target.url().getScheme())) {
            // no h2c upgrade dance on plain HTTP: some MCP servers refuse an Upgrade header they do not speak
            b.version(HttpClient.Version.HTTP_1_1);
        }
        auth.forEach(b::header);
        mcpHeaders.forEach(b::header);
        if (body != null) {
            b.header("Content-Type", "application/json").header("Accept", ACCEPT);
            b.POST(HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            b.header("Accept", "GET".equals(method) ? "text/event-stream" : ACCEPT);
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new ProxyException(ProxyException.Kind.UPSTREAM_TIMEOUT, "MCP server \"" + server
                    + "\" did not answer within " + timeout.toSeconds() + " s");
        } catch (ConnectException e) {
            throw ProxyException.upstream("kap could not connect to MCP server \"" + server + "\" (" + target.url()
                    .getHost() + ")");
        } catch (IOException e) {
            throw ProxyException.upstream("the connection to MCP server \"" + server + "\" failed ("
                    + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProxyException.upstream("kap is shutting down");
        }
    }

    private static Map<String, String> credentials(String server, Upstreams.Target target) {
        try {
            return target.headers();
        } catch (IOException e) {
            throw ProxyException.upstream("kap could not produce credentials for MCP server \"" + server + "\": "
                    + e.getMessage());
        }
    }

    static void closeQuietly(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // nothing to do: we are done with it
        }
    }
}
