package kap.policy;

import java.net.IDN;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Optional;

/**
 * A normalised network target: a host name or IP literal and a port.
 *
 * <p>Normalisation happens once, here: names are lower-cased, a trailing dot is dropped, internationalised names are
 * converted to Punycode (IDNA), and IP literals are put in canonical form (IPv6 without brackets or zone). Anything
 * that a resolver might read in more than one way, such as {@code 127.1}, {@code 0x7f000001} or {@code 010.0.0.1},
 * is rejected rather than guessed.
 *
 * @param host canonical host: an ASCII lower-case name, or an IP literal in canonical form
 * @param port 1 to 65535
 */
public record HostPort(String host, int port) implements Subject {

    /** Longest name we accept, in presentation form without the trailing dot (RFC 1035 §2.3.4). */
    public static final int MAX_NAME_LENGTH = 253;
    /** Longest label (RFC 1035 §2.3.4). */
    public static final int MAX_LABEL_LENGTH = 63;

    /**
     * Checks that the host is already canonical.
     *
     * @throws IllegalArgumentException if the port is out of range or the host is not canonical
     */
    public HostPort {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (host == null || !host.equals(normalizeHost(host))) {
            throw new IllegalArgumentException("host is not canonical: " + host);
        }
    }

    /**
     * Normalises a raw host and pairs it with a port.
     *
     * @param rawHost a name, IPv4 literal or IPv6 literal (with or without brackets)
     * @param port 1 to 65535
     * @return the target
     * @throws IllegalArgumentException if the host or port is invalid
     */
    public static HostPort of(String rawHost, int port) {
        return new HostPort(normalizeHost(rawHost), port);
    }

    /**
     * Parses an authority such as {@code example.com:443} or {@code [2001:db8::1]:22}.
     *
     * @param authority host and port
     * @return the target
     * @throws IllegalArgumentException if the authority has no valid port or host
     */
    public static HostPort parseAuthority(String authority) {
        if (authority == null || authority.isEmpty()) {
            throw new IllegalArgumentException("empty authority");
        }
        int colon = authority.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("authority has no port: " + authority);
        }
        String host = authority.substring(0, colon);
        if (host.indexOf(':') >= 0 && !(host.startsWith("[") && host.endsWith("]"))) {
            throw new IllegalArgumentException("IPv6 literal must be in brackets: " + authority);
        }
        return of(host, parsePort(authority.substring(colon + 1)));
    }

    /**
     * Parses a decimal port without sign, leading zeros or spaces.
     *
     * @param text the digits
     * @return port 1 to 65535
     * @throws IllegalArgumentException if the text is not such a port
     */
    public static int parsePort(String text) {
        if (text.isEmpty() || text.length() > 5 || (text.length() > 1 && text.charAt(0) == '0')) {
            throw new IllegalArgumentException("invalid port: '" + text + "'");
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("invalid port: '" + text + "'");
            }
            value = value * 10 + (c - '0');
        }
        if (value < 1 || value > 65535) {
            throw new IllegalArgumentException("port out of range: " + text);
        }
        return value;
    }

    /**
     * Normalises a host that may be a name or an IP literal.
     *
     * @param raw the host as received
     * @return canonical host
     * @throws IllegalArgumentException if it is neither a valid name nor an unambiguous IP literal
     */
    public static String normalizeHost(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        if (raw.startsWith("[") || raw.indexOf(':') >= 0) {
            return canonicalIpv6(raw);
        }
        Optional<String> v4 = canonicalIpv4(raw);
        return v4.orElseGet(() -> normalizeName(raw));
    }

    /**
     * Normalises a DNS name: IDNA to Punycode, lower case, trailing dot dropped, label and length limits checked.
     * Letters, digits, hyphen and underscore are the only characters kept.
     *
     * @param raw the name as received
     * @return canonical name
     * @throws IllegalArgumentException if the name is empty, too long, has an empty or oversized label, an invalid
     *         character, or a numeric last label (which resolvers may read as an IP address)
     */
    public static String normalizeName(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new IllegalArgumentException("empty name");
        }
        // IDNA treats these as dots too; split on them first so each label is checked on its own
        String unified = raw.replace('\u3002', '.').replace('\uff0e', '.').replace('\uff61', '.');
        String name = unified.endsWith(".") ? unified.substring(0, unified.length() - 1) : unified;
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty name");
        }
        String[] labels = name.split("\\.", -1);
        StringBuilder ascii = new StringBuilder(name.length());
        for (int i = 0; i < labels.length; i++) {
            if (labels[i].isEmpty()) {
                throw new IllegalArgumentException("empty label");
            }
            String label;
            try {
                label = IDN.toASCII(labels[i]).toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(labels[i].length() > MAX_LABEL_LENGTH
                        ? "label longer than " + MAX_LABEL_LENGTH + " characters"
                        : "not a valid international name: " + e.getMessage());
            }
            checkLabel(label);
            labels[i] = label;
            ascii.append(i == 0 ? "" : ".").append(label);
        }
        if (ascii.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("name longer than " + MAX_NAME_LENGTH + " characters");
        }
        String last = labels[labels.length - 1];
        if (isNumericLike(last)) {
            throw new IllegalArgumentException("ambiguous numeric host: " + raw);
        }
        return ascii.toString();
    }

    /**
     * Whether the host is an IP literal.
     *
     * @return {@code true} for IPv4 and IPv6 literals
     */
    public boolean isIpLiteral() {
        return literalAddress().isPresent();
    }

    /**
     * The address of an IP-literal host; parsing does no DNS lookup.
     *
     * @return the address, or empty for a name
     */
    public Optional<InetAddress> literalAddress() {
        if (host.indexOf(':') >= 0) {
            return Optional.of(Inet6Address.ofLiteral(host));
        }
        if (canonicalIpv4(host).isPresent()) {
            return Optional.of(InetAddress.ofLiteral(host));
        }
        return Optional.empty();
    }

    /**
     * The authority form, {@code host:port} or {@code [v6]:port}.
     *
     * @return authority text
     */
    public String authority() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return authority();
    }

    private static void checkLabel(String label) {
        if (label.isEmpty()) {
            throw new IllegalArgumentException("empty label");
        }
        if (label.length() > MAX_LABEL_LENGTH) {
            throw new IllegalArgumentException("label longer than " + MAX_LABEL_LENGTH + " characters");
        }
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                throw new IllegalArgumentException("invalid character in name: '" + printable(c) + "'");
            }
        }
    }

    private static boolean isNumericLike(String label) {
        if (label.startsWith("0x")) {
            return true;
        }
        for (int i = 0; i < label.length(); i++) {
            if (label.charAt(i) < '0' || label.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Strict dotted quad: four decimal octets, no leading zeros, so {@code 010.0.0.1} is never read as octal. */
    static Optional<String> canonicalIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
                return Optional.empty();
            }
            for (int i = 0; i < part.length(); i++) {
                if (part.charAt(i) < '0' || part.charAt(i) > '9') {
                    return Optional.empty();
                }
            }
            if (Integer.parseInt(part) > 255) {
                return Optional.empty();
            }
        }
        return Optional.of(text);
    }

    private static String canonicalIpv6(String raw) {
        String inner = raw;
        if (raw.startsWith("[")) {
            if (!raw.endsWith("]") || raw.length() < 3 || raw.indexOf('[', 1) >= 0 || raw.indexOf(']') != raw.length() - 1) {
                throw new IllegalArgumentException("malformed bracketed IPv6 literal: " + raw);
            }
            inner = raw.substring(1, raw.length() - 1);
        }
        if (inner.indexOf('%') >= 0) {
            throw new IllegalArgumentException("IPv6 zone identifiers are not allowed: " + raw);
        }
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
            if (!ok) {
                throw new IllegalArgumentException("invalid IPv6 literal: " + raw);
            }
        }
        InetAddress address;
        try {
            address = InetAddress.ofLiteral(inner);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid IPv6 literal: " + raw);
        }
        // Java turns ::ffff:a.b.c.d into an Inet4Address; keep the IPv6 form so the caller sees what was asked.
        return address instanceof Inet6Address v6 ? formatIpv6(v6.getAddress()) : "::ffff:" + address.getHostAddress();
    }

    /** RFC 5952 canonical text: lower-case hex, no leading zeros, the first longest run of zero groups as "::". */
    static String formatIpv6(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    private static String printable(char c) {
        return c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }
}
