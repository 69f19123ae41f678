package kap.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;

/**
 * The phone UI: one page and its script, style sheet and icon, all from this module, so it works on a LAN without
 * internet access. A strict Content-Security-Policy allows nothing but this origin.
 */
final class UiRoutes {

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8",
            "icon.svg", "image/svg+xml");

    private UiRoutes() {
    }

    static void routes(HttpRules rules) {
        FILES.forEach((name, type) -> {
            byte[] bytes = load(name);
            rules.get("/" + name, (req, res) -> {
                res.header(HeaderNames.CONTENT_TYPE, type);
                res.header("Content-Security-Policy", CSP);
                res.send(bytes);
            });
        });
        byte[] index = load("index.html");
        rules.get("/", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, FILES.get("index.html"));
            res.header("Content-Security-Policy", CSP);
            res.send(index);
        });
    }

    private static byte[] load(String name) {
        try (InputStream in = UiRoutes.class.getResourceAsStream("/kap/remote/ui/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing UI file " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
