package kap.mcp.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import kap.mcp.RegistrationException;

/**
 * The OAuth redirect target: an HTTP server on {@code 127.0.0.1} with an ephemeral port, bound once and kept until
 * the code arrives (no find-a-port-then-rebind race), that accepts one {@code /callback} carrying the expected
 * {@code state}. An {@code error} callback or a wrong {@code state} ends the flow; a request without a code is
 * answered 400 and waited past; nothing arriving within the timeout ends it too.
 */
final class LoopbackCallback implements AutoCloseable {

    private final HttpServer server;
    private final String state;
    private final CompletableFuture<String> code = new CompletableFuture<>();

    private LoopbackCallback(HttpServer server, String state) {
        this.server = server;
        this.state = state;
    }

    static LoopbackCallback open(String state) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        LoopbackCallback callback = new LoopbackCallback(server, state);
        server.createContext("/callback", callback::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return callback;
    }

    URI redirectUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/callback");
    }

    /** Waits for the authorization code. */
    String await(Duration timeout) {
        try {
            return code.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new RegistrationException("no authorization arrived within " + timeout.toSeconds()
                    + " s; run the command again and finish the login in the browser");
        } catch (ExecutionException e) {
            throw (RegistrationException) e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistrationException("interrupted while waiting for the authorization");
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        if (!"GET".equals(ex.getRequestMethod())) {
            reply(ex, 405, "Method not allowed");
        } else if (!constantTimeEquals(q.get("state"), state)) {
            reply(ex, 400, "The state parameter does not match this login. Start again with kap mcp add.");
            code.completeExceptionally(new RegistrationException("the authorization callback carried a wrong or no"
                    + " state parameter (possible cross-site request forgery); nothing was saved"));
        } else if (q.containsKey("error")) {
            reply(ex, 400, "Authorization failed. You can close this tab.");
            code.completeExceptionally(new RegistrationException("the authorization server refused: "
                    + Names.printable(q.get("error")) + (q.containsKey("error_description") ? " ("
                    + Names.printable(q.get("error_description")) + ")" : "")));
        } else if (q.get("code") == null || q.get("code").isEmpty()) {
            reply(ex, 400, "Missing authorization code");
        } else {
            reply(ex, 200, "Authorization successful! You can close this tab and return to kap.");
            code.complete(q.get("code"));
        }
    }

    private static void reply(HttpExchange ex, int status, String text) throws IOException {
        byte[] body = ("<!doctype html><html><body><h1>kap</h1><p>" + text + "</p></body></html>")
                .getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            q.putIfAbsent(k, v);
        }
        return q;
    }

    private static boolean constantTimeEquals(String a, String b) {
        return a != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8),
                b.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
