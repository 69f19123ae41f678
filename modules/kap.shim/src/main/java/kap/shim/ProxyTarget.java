package kap.shim;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The egress proxy the connect bridge tunnels through: the first of {@code HTTPS_PROXY}, {@code https_proxy},
 * {@code HTTP_PROXY}, {@code http_proxy} that is set, written {@code http://[user:password@]host:port[/]}.
 *
 * @param host proxy host
 * @param port proxy port
 * @param authorization a {@code Proxy-Authorization} value, or {@code null}
 */
record ProxyTarget(String host, int port, String authorization) {

    private static final String[] VARIABLES = {"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"};

    /**
     * Finds and parses the proxy setting.
     *
     * @param env the environment
     * @return the proxy
     * @throws IllegalArgumentException with a message for the user
     */
    static ProxyTarget from(Map<String, String> env) {
        for (String name : VARIABLES) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return parse(name, value.trim());
            }
        }
        throw new IllegalArgumentException("HTTPS_PROXY is not set, so there is no egress proxy to tunnel through;"
                + " the connect bridge works inside a kap capsule, whose runtime sets it");
    }

    static ProxyTarget parse(String name, String value) {
        String v = value;
        if (v.startsWith("https://")) {
            throw new IllegalArgumentException(name + "=" + value + ": the bridge speaks plain HTTP to the proxy;"
                    + " use http://");
        }
        if (v.startsWith("http://")) {
            v = v.substring("http://".length());
        }
        while (v.endsWith("/")) {
            v = v.substring(0, v.length() - 1);
        }
        String authorization = null;
        int at = v.lastIndexOf('@');
        if (at >= 0) {
            String user = java.net.URLDecoder.decode(v.substring(0, at), StandardCharsets.UTF_8);
            authorization = "Basic " + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8));
            v = v.substring(at + 1);
        }
        int colon = v.lastIndexOf(':');
        String host = colon > 0 ? v.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(v.substring(colon + 1));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            port = -1;
        }
        if (host.isEmpty() || port < 1 || port > 65535 || v.indexOf('/') >= 0) {
            throw new IllegalArgumentException(name + "=" + value + " is not http://host:port");
        }
        return new ProxyTarget(host, port, authorization);
    }
}
