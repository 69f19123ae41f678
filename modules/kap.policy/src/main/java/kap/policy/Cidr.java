package kap.policy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * An IPv4 or IPv6 network in CIDR notation. A bare address is a host network ({@code /32} or {@code /128}).
 *
 * @param network the network address, with every bit past the prefix zero
 * @param prefix prefix length, 0 to 32 (IPv4) or 0 to 128 (IPv6)
 */
public record Cidr(InetAddress network, int prefix) {

    /**
     * Validates the network.
     *
     * @throws IllegalArgumentException if the prefix is out of range or host bits are set
     */
    public Cidr {
        Objects.requireNonNull(network, "network");
        int bits = network.getAddress().length * 8;
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix /" + prefix + " out of range for " + network.getHostAddress());
        }
        byte[] bytes = network.getAddress();
        for (int bit = prefix; bit < bits; bit++) {
            if ((bytes[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                throw new IllegalArgumentException("host bits set in " + network.getHostAddress() + "/" + prefix
                        + " (did you mean " + mask(network, prefix).getHostAddress() + "/" + prefix + "?)");
            }
        }
    }

    /**
     * Parses {@code 10.0.0.0/8}, {@code 192.0.2.1}, {@code 2001:db8::/32}, {@code [::1]} and similar. No DNS lookup.
     *
     * @param text the CIDR or address
     * @return the network
     * @throws IllegalArgumentException if the text is not an unambiguous address or CIDR
     */
    public static Cidr parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty CIDR");
        }
        String address = text;
        String prefixText = null;
        int slash = text.indexOf('/');
        if (slash >= 0) {
            address = text.substring(0, slash);
            prefixText = text.substring(slash + 1);
        }
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        InetAddress inet = parseLiteral(address, text);
        int bits = inet.getAddress().length * 8;
        int prefix = bits;
        if (prefixText != null) {
            if (prefixText.isEmpty() || prefixText.length() > 3 || !prefixText.chars().allMatch(Character::isDigit)
                    || (prefixText.length() > 1 && prefixText.charAt(0) == '0')) {
                throw new IllegalArgumentException("invalid prefix length in " + text);
            }
            prefix = Integer.parseInt(prefixText);
        }
        return new Cidr(inet, prefix);
    }

    /**
     * Whether the address lies in this network. IPv4 and IPv6 networks never contain each other's addresses.
     *
     * @param address the address
     * @return {@code true} if contained
     */
    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        byte[] n = network.getAddress();
        if (a.length != n.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != n[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int m = (0xff << (8 - rest)) & 0xff;
        return (a[full] & m) == (n[full] & m);
    }

    /**
     * Whether this is an IPv4 network.
     *
     * @return {@code true} for IPv4
     */
    public boolean isIpv4() {
        return network instanceof Inet4Address;
    }

    @Override
    public String toString() {
        String host = isIpv4() ? network.getHostAddress() : HostPort.formatIpv6(network.getAddress());
        return host + "/" + prefix;
    }

    private static InetAddress parseLiteral(String address, String whole) {
        if (address.indexOf(':') >= 0) {
            if (address.indexOf('%') >= 0) {
                throw new IllegalArgumentException("IPv6 zone identifiers are not allowed: " + whole);
            }
            try {
                InetAddress inet = InetAddress.ofLiteral(address);
                // keep ::ffff:0:0/96 ranges IPv6: Java would collapse a mapped literal to IPv4
                return inet instanceof Inet4Address v4 ? mappedV6(v4) : inet;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not an IP address or CIDR: " + whole);
            }
        }
        if (HostPort.canonicalIpv4(address).isEmpty()) {
            throw new IllegalArgumentException("not an IP address or CIDR: " + whole);
        }
        return InetAddress.ofLiteral(address);
    }

    private static InetAddress mappedV6(Inet4Address v4) {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xff;
        bytes[11] = (byte) 0xff;
        System.arraycopy(v4.getAddress(), 0, bytes, 12, 4);
        try {
            return java.net.Inet6Address.getByAddress(null, bytes, -1);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InetAddress mask(InetAddress address, int prefix) {
        byte[] bytes = address.getAddress();
        for (int bit = prefix; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
