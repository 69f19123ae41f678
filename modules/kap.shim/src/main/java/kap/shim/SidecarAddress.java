package kap.shim;

import java.net.InetSocketAddress;

/**
 * Where the sidecar's CLI proxy listens, from {@code KAP_CLIX} ({@code host:port} or {@code [v6]:port}), which the
 * runtime sets in the capsule.
 */
final class SidecarAddress {

    /** The variable the runtime sets. */
    static final String VARIABLE = "KAP_CLIX";

    private SidecarAddress() {
    }

    /**
     * Parses the address.
     *
     * @param value the variable's value, possibly {@code null}
     * @param tool the tool, for the message
     * @return the unresolved socket address
     * @throws IllegalArgumentException with a message for the user
     */
    static InetSocketAddress parse(String value, String tool) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(VARIABLE + " is not set, so this " + tool + " shim cannot reach the kap"
                    + " sidecar. The shim runs " + tool + " on the sidecar, where its credentials are; it works only"
                    + " inside a kap capsule, whose runtime sets " + VARIABLE + "=<sidecar-ip>:3130.");
        }
        String v = value.trim();
        int colon = v.lastIndexOf(':');
        String host = colon > 0 ? v.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = -1;
        try {
            port = Integer.parseInt(v.substring(colon + 1));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            port = -1;
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalArgumentException(VARIABLE + "=" + value + " is not host:port (such as 172.28.0.3:3130)");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }
}
