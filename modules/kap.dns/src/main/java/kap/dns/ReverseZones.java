package kap.dns;

import java.net.InetAddress;

import kap.policy.Policy;

/**
 * Reverse-lookup names ({@code in-addr.arpa}, {@code ip6.arpa}) and the address ranges they cover. A name covers a
 * range: {@code 4.3.2.1.in-addr.arpa} one address, {@code 168.192.in-addr.arpa} a /16. A reverse name is refused when
 * the lowest or highest address of its range is one the policy would not let the egress proxy reach, so asking about
 * private hosts never reaches the upstream resolver (which may well know them).
 */
final class ReverseZones {

    private static final String V4 = "in-addr.arpa";
    private static final String V6 = "ip6.arpa";

    private ReverseZones() {
    }

    /**
     * Whether the name is under a reverse zone that covers a non-public address.
     *
     * @param name normalised name
     * @param policy the policy in force (its classifier and unsafe CIDRs)
     * @return {@code true} if it must be refused
     */
    static boolean nonPublic(String name, Policy policy) {
        byte[][] range;
        if (NameGuard.isUnder(name, V4)) {
            range = range(labels(name, V4), 4, 8);
        } else if (NameGuard.isUnder(name, V6)) {
            range = range(labels(name, V6), 32, 4);
        } else {
            return false;
        }
        return !vetted(range[0], policy) || !vetted(range[1], policy);
    }

    private static String[] labels(String name, String zone) {
        if (name.equals(zone)) {
            return new String[0];
        }
        return name.substring(0, name.length() - zone.length() - 1).split("\\.");
    }

    /**
     * The lowest and highest address a reverse name covers. Labels are read from the zone outwards; the first that
     * is not a valid octet or nibble ends the prefix, and the name then lies below that prefix.
     */
    private static byte[][] range(String[] labels, int maxParts, int bitsPerPart) {
        int bytes = maxParts * bitsPerPart / 8;
        byte[] low = new byte[bytes];
        byte[] high = new byte[bytes];
        java.util.Arrays.fill(high, (byte) 0xff);
        int parts = 0;
        for (int i = labels.length - 1; i >= 0 && parts < maxParts; i--) {
            int value = part(labels[i], bitsPerPart);
            if (value < 0) {
                break;
            }
            setPart(low, parts, bitsPerPart, value);
            setPart(high, parts, bitsPerPart, value);
            parts++;
        }
        return new byte[][] {low, high};
    }

    private static int part(String label, int bits) {
        if (bits == 4) {
            return label.length() == 1 ? Character.digit(label.charAt(0), 16) : -1;
        }
        if (label.isEmpty() || label.length() > 3 || (label.length() > 1 && label.charAt(0) == '0')) {
            return -1;
        }
        for (int i = 0; i < label.length(); i++) {
            if (label.charAt(i) < '0' || label.charAt(i) > '9') {
                return -1;
            }
        }
        int value = Integer.parseInt(label);
        return value <= 255 ? value : -1;
    }

    private static void setPart(byte[] address, int index, int bits, int value) {
        if (bits == 8) {
            address[index] = (byte) value;
        } else if (index % 2 == 0) {
            address[index / 2] = (byte) ((address[index / 2] & 0x0f) | (value << 4));
        } else {
            address[index / 2] = (byte) ((address[index / 2] & 0xf0) | value);
        }
    }

    private static boolean vetted(byte[] address, Policy policy) {
        try {
            InetAddress ip = InetAddress.getByAddress(address);
            return policy.vet(policy.classify(ip)).allowed();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
