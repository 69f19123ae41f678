package kap.shim;

/**
 * The {@code CONNECT} request for one target, validated so that nothing from {@code %h} can add a header line.
 *
 * @param host target host: a name or an IP literal
 * @param port target port
 */
record ConnectRequest(String host, int port) {

    /** Time to reach the proxy. */
    static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    /** Time for the proxy to answer (it dials the target first). */
    static final int ANSWER_TIMEOUT_MILLIS = 30_000;
    /** Time to read a refusal's explanation. */
    static final int BODY_TIMEOUT_MILLIS = 2_000;
    /** Longest host name (DNS limit). */
    static final int MAX_HOST_CHARS = 255;

    static ConnectRequest of(String[] argv) {
        if (argv.length != 2) {
            throw new IllegalArgumentException("usage: kap.shim.ConnectBridge <host> <port> (an SSH ProxyCommand:"
                    + " ProxyCommand ... %h %p)");
        }
        String host = argv[0];
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty() || host.length() > MAX_HOST_CHARS) {
            throw new IllegalArgumentException("host '" + argv[0] + "' is empty or longer than " + MAX_HOST_CHARS);
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
                    || c == '-' || c == '_' || c == ':';
            if (!ok) {
                throw new IllegalArgumentException("host '" + argv[0] + "' has a character a host name cannot have");
            }
        }
        int port;
        try {
            port = Integer.parseInt(argv[1]);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port '" + argv[1] + "' is not 1 to 65535");
        }
        return new ConnectRequest(host, port);
    }

    /**
     * The target as the request line writes it; IPv6 literals in brackets.
     *
     * @return host:port
     */
    String authority() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    byte[] bytes(String authorization) {
        String text = "CONNECT " + authority() + " HTTP/1.1\r\nHost: " + authority() + "\r\n"
                + (authorization == null ? "" : "Proxy-Authorization: " + authorization + "\r\n") + "\r\n";
        return ConnectBridge.ascii(text);
    }
}
