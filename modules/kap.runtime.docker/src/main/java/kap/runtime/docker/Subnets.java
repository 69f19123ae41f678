package kap.runtime.docker;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The capsule's two /24 networks (sandbox, then external), chosen as the original did (reference spec §8.4): a
 * preferred pair derived from the project path, so it stays stable per project, moved on in steps of two /24s when it
 * collides with any network Docker already has. All inside 172.18.0.0–172.31.255.0, clear of Docker's default
 * 172.17.0.0/16.
 */
final class Subnets {

    /** Attempts before giving up: every pair in the range. */
    static final int MAX_STEPS = 1792;

    private Subnets() {
    }

    /**
     * A pair of /24 networks.
     *
     * @param sandbox the internal network, as its first three octets packed into an int
     * @param external the external network
     */
    record Pair(int sandbox, int external) {
        String sandboxCidr() {
            return dotted(sandbox) + ".0/24";
        }

        String externalCidr() {
            return dotted(external) + ".0/24";
        }

        /** An address in the sandbox network, such as {@code host(sandbox, 3)}. */
        static String host(int prefix, int host) {
            return dotted(prefix) + "." + host;
        }
    }

    /** The preferred sandbox /24 for a project path: {@code h = h*31 + byte}, then 172.(18 + h%14).(h>>8 % 256). */
    static int preferred(Path projectDir) {
        int h = 0;
        for (byte b : projectDir.toString().getBytes(StandardCharsets.UTF_8)) {
            h = h * 31 + (b & 0xff);
        }
        long u = Integer.toUnsignedLong(h);
        return (172 << 16) | (int) ((18 + u % 14) << 8) | (int) ((u >>> 8) % 256);
    }

    /** The next /24: third octet + 1, rolling into the second; past 172.31.255 back to 172.18.0. */
    static int next(int prefix) {
        int b = (prefix >> 8) & 0xff;
        int c = prefix & 0xff;
        if (c < 255) {
            return prefix + 1;
        }
        return b >= 31 ? (172 << 16) | (18 << 8) : (172 << 16) | ((b + 1) << 8);
    }

    /**
     * The first free pair from the preferred one on.
     *
     * @param preferred preferred sandbox /24
     * @param taken CIDRs of every existing network ({@code a.b.c.d/m})
     * @return the pair, or empty if the whole range is taken
     */
    static Optional<Pair> choose(int preferred, List<String> taken) {
        int sandbox = preferred;
        for (int i = 0; i < MAX_STEPS; i++) {
            int external = next(sandbox);
            if (free(sandbox, taken) && free(external, taken)) {
                return Optional.of(new Pair(sandbox, external));
            }
            sandbox = next(next(sandbox));
        }
        return Optional.empty();
    }

    static boolean free(int prefix, List<String> taken) {
        long candidate = Integer.toUnsignedLong(prefix) << 8;
        for (String cidr : taken) {
            int slash = cidr.indexOf('/');
            if (slash < 0 || cidr.contains(":")) {
                continue;
            }
            String[] o = cidr.substring(0, slash).split("\\.");
            if (o.length != 4) {
                continue;
            }
            long net = 0;
            for (String part : o) {
                net = (net << 8) | Integer.parseInt(part);
            }
            int bits = Math.min(Integer.parseInt(cidr.substring(slash + 1)), 24);
            long mask = bits == 0 ? 0 : (0xffffffffL << (32 - bits)) & 0xffffffffL;
            if ((candidate & mask) == (net & mask)) {
                return false;
            }
        }
        return true;
    }

    static String dotted(int prefix) {
        return ((prefix >> 16) & 0xff) + "." + ((prefix >> 8) & 0xff) + "." + (prefix & 0xff);
    }

    /** Parses the first three octets of an IPv4 CIDR or address. */
    static int prefixOf(String cidrOrAddress) {
        String[] o = cidrOrAddress.split("[./]");
        return (Integer.parseInt(o[0]) << 16) | (Integer.parseInt(o[1]) << 8) | Integer.parseInt(o[2]);
    }
}
