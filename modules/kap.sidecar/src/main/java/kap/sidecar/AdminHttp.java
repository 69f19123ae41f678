package kap.sidecar;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;

/**
 * What every admin handler shares: JSON replies, bounded request bodies and the admin-token check. Errors reach the
 * wire here and nowhere else.
 */
final class AdminHttp {

    /** Request bodies larger than this are refused (413). */
    static final int MAX_BODY = 16 * 1024;

    private static final JsonFactory JSON = new JsonFactory();

    private final Optional<byte[]> token;

    AdminHttp(Optional<String> token) {
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Whether the request carries the admin token; if not, the reply is sent. Without a configured token nothing
     * passes: the mutating endpoints fail closed.
     */
    boolean authorized(HttpExchange exchange) throws IOException {
        if (token.isEmpty()) {
            send(exchange, 403, error("this sidecar has no admin token (--admin-token-file or KAP_ADMIN_TOKEN), "
                    + "so events and grants are not served"));
            return false;
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        byte[] given = header != null && header.startsWith("Bearer ")
                ? header.substring(7).strip().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(given, token.get())) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            send(exchange, 401, error("missing or wrong admin token"));
            return false;
        }
        return true;
    }

    static boolean method(HttpExchange exchange, String... allowed) throws IOException {
        for (String m : allowed) {
            if (m.equals(exchange.getRequestMethod())) {
                return true;
            }
        }
        send(exchange, 405, error("method not allowed"));
        return false;
    }

    /** The request body, or empty after a 413 has been sent. */
    static Optional<byte[]> body(HttpExchange exchange) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = exchange.getRequestBody()) {
            byte[] buffer = new byte[4096];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                if (out.size() > MAX_BODY) {
                    send(exchange, 413, error("request body larger than " + MAX_BODY + " bytes"));
                    return Optional.empty();
                }
            }
        }
        return Optional.of(out.toByteArray());
    }

    static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static String error(String message) {
        return json(g -> g.writeStringField("error", message));
    }

    static String json(JsonWriter writer) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            writer.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    @FunctionalInterface
    interface JsonWriter {
        void write(JsonGenerator g) throws IOException;
    }
}
