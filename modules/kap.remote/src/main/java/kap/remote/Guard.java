package kap.remote;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * The door of every request, in this order: security headers on every reply; the {@code Host} header must name
 * this daemon (a page whose name was rebound to the LAN address sends its own name: refused); an {@code Origin}
 * header, when present, must be this daemon's own origin, and {@code Sec-Fetch-Site: cross-site} is refused (no
 * other site's page may call the API); and every {@code /api/} call except pairing needs a device token
 * ({@code Authorization: Bearer}). The pairing code opens only {@code POST /api/pair}.
 */
final class Guard implements Filter {

    private static final Set<String> PUBLIC_API = Set.of("/api/pair");

    private final Set<String> hosts;
    private final String scheme;
    private final DeviceStore devices;

    /**
     * @param hosts lower-case host names and address literals (IPv6 in brackets) the phone may use
     * @param scheme {@code http} or {@code https}
     * @param devices paired devices
     */
    Guard(Set<String> hosts, String scheme, DeviceStore devices) {
        this.hosts = Set.copyOf(hosts);
        this.scheme = scheme;
        this.devices = devices;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        res.header("Referrer-Policy", "no-referrer");
        res.header("X-Frame-Options", "DENY");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        int port = req.localPeer().port();
        String host = req.headers().first(HeaderNames.HOST).orElse("").toLowerCase(Locale.ROOT);
        if (!authority(host, port)) {
            Api.send(res, 403, Api.object().put("error", "this daemon does not answer to host '" + printable(host)
                    + "'"));
            return;
        }
        Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
        String site = req.headers().first(HeaderNames.create("Sec-Fetch-Site")).orElse("");
        if (origin.isPresent() && !origin(origin.get().toLowerCase(Locale.ROOT), port) || site.equals("cross-site")) {
            Api.send(res, 403, Api.object().put("error", "cross-site request refused"));
            return;
        }
        String path = req.path().path();
        if (path.startsWith("/api/") && !PUBLIC_API.contains(path)) {
            Optional<DeviceStore.Device> device = devices.authenticate(bearer(req));
            if (device.isEmpty()) {
                res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
                Api.send(res, 401, Api.object().put("error", "a valid device token is required; pair this device "
                        + "with the QR code from `kap remote pair`"));
                return;
            }
            req.context().register(Api.DEVICE, device.get());
            try {
                devices.touch(device.get());
            } catch (IOException e) {
                // last_seen is a courtesy; a disk problem must not refuse the request
            }
        }
        chain.proceed();
    }

    private boolean authority(String host, int port) {
        for (String h : hosts) {
            if (host.equals(h + ":" + port) || (host.equals(h) && port == defaultPort())) {
                return true;
            }
        }
        return false;
    }

    private boolean origin(String origin, int port) {
        String prefix = scheme + "://";
        return origin.startsWith(prefix) && authority(origin.substring(prefix.length()), port);
    }

    private int defaultPort() {
        return scheme.equals("https") ? 443 : 80;
    }

    private static String bearer(RoutingRequest req) {
        String header = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        return header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : "";
    }

    private static String printable(String s) {
        String cut = s.length() > 100 ? s.substring(0, 100) : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
