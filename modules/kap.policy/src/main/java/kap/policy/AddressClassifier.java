package kap.policy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Classifies IP addresses: loopback, private, shared (CGNAT), link-local, cloud metadata, multicast, broadcast,
 * unspecified, reserved, the host's own addresses, and public. IPv6 forms that embed an IPv4 address (IPv4-mapped,
 * IPv4-compatible, SIIT, NAT64, 6to4, Teredo) are judged by the IPv4 they embed, because that is where a packet
 * ends up.
 *
 * <p>Instances are immutable apart from the cached set of own addresses, and are thread-safe.
 */
public final class AddressClassifier {

    private static final Duration OWN_ADDRESS_REFRESH = Duration.ofSeconds(30);

    /** Cloud metadata and platform endpoints; checked before the broader ranges that contain some of them. */
    private static final List<Range> METADATA = List.of(
            range("169.254.169.254/32", "cloud metadata endpoint (AWS, GCP, Azure, OpenStack)"),
            range("169.254.170.2/32", "container credentials endpoint (AWS ECS)"),
            range("100.100.100.200/32", "cloud metadata endpoint (Alibaba Cloud)"),
            range("168.63.129.16/32", "platform endpoint (Azure WireServer)"),
            range("192.0.0.192/32", "cloud metadata endpoint (Oracle Cloud)"),
            range("fd00:ec2::/32", "cloud metadata endpoint (AWS IPv6)"));

    private static final List<Range> V4 = List.of(
            range("0.0.0.0/32", AddressClass.UNSPECIFIED, "unspecified address (RFC 1122)"),
            range("0.0.0.0/8", AddressClass.UNSPECIFIED, "\"this network\" (RFC 1122)"),
            range("127.0.0.0/8", AddressClass.LOOPBACK, "loopback (RFC 1122)"),
            range("10.0.0.0/8", AddressClass.PRIVATE, "private network (RFC 1918)"),
            range("172.16.0.0/12", AddressClass.PRIVATE, "private network (RFC 1918)"),
            range("192.168.0.0/16", AddressClass.PRIVATE, "private network (RFC 1918)"),
            range("100.64.0.0/10", AddressClass.SHARED, "shared address space, carrier-grade NAT (RFC 6598)"),
            range("169.254.0.0/16", AddressClass.LINK_LOCAL, "link-local (RFC 3927)"),
            range("192.0.0.0/24", AddressClass.RESERVED, "IETF protocol assignments (RFC 6890)"),
            range("192.0.2.0/24", AddressClass.RESERVED, "documentation TEST-NET-1 (RFC 5737)"),
            range("198.51.100.0/24", AddressClass.RESERVED, "documentation TEST-NET-2 (RFC 5737)"),
            range("203.0.113.0/24", AddressClass.RESERVED, "documentation TEST-NET-3 (RFC 5737)"),
            range("198.18.0.0/15", AddressClass.RESERVED, "benchmarking (RFC 2544)"),
            range("192.88.99.0/24", AddressClass.RESERVED, "deprecated 6to4 relay anycast (RFC 7526)"),
            range("224.0.0.0/4", AddressClass.MULTICAST, "multicast (RFC 5771)"),
            range("255.255.255.255/32", AddressClass.BROADCAST, "limited broadcast (RFC 919)"),
            range("240.0.0.0/4", AddressClass.RESERVED, "reserved for future use (RFC 1112)"));

    private static final List<Range> V6 = List.of(
            range("::/128", AddressClass.UNSPECIFIED, "unspecified address (RFC 4291)"),
            range("::1/128", AddressClass.LOOPBACK, "loopback (RFC 4291)"),
            range("fe80::/10", AddressClass.LINK_LOCAL, "link-local (RFC 4291)"),
            range("fc00::/7", AddressClass.PRIVATE, "unique local address (RFC 4193)"),
            range("fec0::/10", AddressClass.PRIVATE, "deprecated site-local (RFC 3879)"),
            range("ff00::/8", AddressClass.MULTICAST, "multicast (RFC 4291)"),
            range("100::/64", AddressClass.RESERVED, "discard-only (RFC 6666)"),
            range("2001:db8::/32", AddressClass.RESERVED, "documentation (RFC 3849)"),
            range("2001:10::/28", AddressClass.RESERVED, "deprecated ORCHID (RFC 4843)"),
            range("2001:20::/28", AddressClass.RESERVED, "ORCHIDv2 (RFC 7343)"),
            range("::/8", AddressClass.RESERVED, "reserved by IETF (RFC 4291)"));

    private final Supplier<Set<InetAddress>> ownAddressSource;
    private volatile Set<InetAddress> ownAddresses;
    private volatile long ownAddressesAt;

    private AddressClassifier(Supplier<Set<InetAddress>> ownAddressSource) {
        this.ownAddressSource = ownAddressSource;
        this.ownAddresses = Set.copyOf(ownAddressSource.get());
        this.ownAddressesAt = System.nanoTime();
    }

    /**
     * A classifier that knows this host's interface addresses, refreshed every 30 seconds.
     *
     * @return classifier
     */
    public static AddressClassifier create() {
        return new AddressClassifier(AddressClassifier::interfaceAddresses);
    }

    /**
     * A classifier with a given source of the host's own addresses (for tests, or a sidecar that knows its addresses).
     *
     * @param ownAddresses supplies the host's own addresses; called at creation and every 30 seconds after
     * @return classifier
     */
    public static AddressClassifier create(Supplier<Set<InetAddress>> ownAddresses) {
        return new AddressClassifier(Objects.requireNonNull(ownAddresses, "ownAddresses"));
    }

    /**
     * Classifies one address.
     *
     * @param address the address, never {@code null}
     * @return its classification
     */
    public Classification classify(InetAddress address) {
        Optional<Inet4Address> embedded = address instanceof Inet6Address v6 ? embeddedIpv4(v6) : Optional.empty();
        if (embedded.isPresent()) {
            Classification inner = classifyDirect(embedded.get());
            String form = embeddedForm((Inet6Address) address);
            if (inner.isPublic()) {
                return new Classification(address, AddressClass.PUBLIC, Reasons.PUBLIC_ADDRESS + " (" + form + " of "
                        + embedded.get().getHostAddress() + ")", embedded);
            }
            return new Classification(address, inner.addressClass(), form + " of " + embedded.get().getHostAddress()
                    + ", which is " + inner.reason(), embedded);
        }
        return classifyDirect(address);
    }

    private Classification classifyDirect(InetAddress address) {
        for (Range r : METADATA) {
            if (r.cidr.contains(address)) {
                return new Classification(address, AddressClass.METADATA, r.reason, Optional.empty());
            }
        }
        for (Range r : address instanceof Inet4Address ? V4 : V6) {
            if (r.cidr.contains(address)) {
                return new Classification(address, r.addressClass, r.reason, Optional.empty());
            }
        }
        if (ownAddresses().contains(address)) {
            return new Classification(address, AddressClass.HOST_OWN, "an address of this host", Optional.empty());
        }
        return new Classification(address, AddressClass.PUBLIC, Reasons.PUBLIC_ADDRESS, Optional.empty());
    }

    /**
     * The IPv4 address an IPv6 address embeds, by the forms that route to it: IPv4-mapped {@code ::ffff:0:0/96},
     * SIIT {@code ::ffff:0:0:0/96}, IPv4-compatible {@code ::/96}, NAT64 {@code 64:ff9b::/96} and
     * {@code 64:ff9b:1::/48}, 6to4 {@code 2002::/16} and Teredo {@code 2001::/32} (the client address).
     *
     * @param address IPv6 address
     * @return the embedded IPv4, or empty
     */
    public static Optional<Inet4Address> embeddedIpv4(Inet6Address address) {
        byte[] b = address.getAddress();
        if (isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return v4(b, 12);
        }
        if (isZero(b, 0, 8) && (b[8] & 0xff) == 0xff && (b[9] & 0xff) == 0xff && isZero(b, 10, 2)) {
            return v4(b, 12);
        }
        if (isZero(b, 0, 12) && !isZero(b, 12, 3)) {
            return v4(b, 12);
        }
        if (u16(b, 0) == 0x0064 && u16(b, 2) == 0xff9b && (isZero(b, 4, 8) || u16(b, 4) == 0x0001)) {
            return v4(b, 12);
        }
        if (u16(b, 0) == 0x2002) {
            return v4(b, 2);
        }
        if (u16(b, 0) == 0x2001 && u16(b, 2) == 0x0000) {
            byte[] client = new byte[4];
            for (int i = 0; i < 4; i++) {
                client[i] = (byte) ~b[12 + i];
            }
            return v4(client, 0);
        }
        return Optional.empty();
    }

    private static String embeddedForm(Inet6Address address) {
        byte[] b = address.getAddress();
        if (u16(b, 0) == 0x0064) {
            return "NAT64 form (RFC 6052/8215)";
        }
        if (u16(b, 0) == 0x2002) {
            return "6to4 form (RFC 3056)";
        }
        if (u16(b, 0) == 0x2001) {
            return "Teredo form (RFC 4380)";
        }
        if ((b[10] & 0xff) == 0xff || (b[8] & 0xff) == 0xff) {
            return "IPv4-mapped form (RFC 4291)";
        }
        return "IPv4-compatible form (RFC 4291)";
    }

    private Set<InetAddress> ownAddresses() {
        long now = System.nanoTime();
        if (now - ownAddressesAt > OWN_ADDRESS_REFRESH.toNanos()) {
            ownAddresses = Set.copyOf(ownAddressSource.get());
            ownAddressesAt = now;
        }
        return ownAddresses;
    }

    private static Set<InetAddress> interfaceAddresses() {
        Set<InetAddress> result = new HashSet<>();
        try {
            var interfaces = NetworkInterface.getNetworkInterfaces();
            while (interfaces != null && interfaces.hasMoreElements()) {
                var addresses = interfaces.nextElement().getInetAddresses();
                while (addresses.hasMoreElements()) {
                    InetAddress a = addresses.nextElement();
                    // drop the scope so that a plain literal compares equal
                    result.add(InetAddress.getByAddress(a.getAddress()));
                }
            }
        } catch (SocketException | UnknownHostException e) {
            // Without the list we still deny loopback and private ranges; public own addresses are rare.
        }
        return result;
    }

    private static boolean isZero(byte[] b, int from, int length) {
        for (int i = from; i < from + length; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    private static Optional<Inet4Address> v4(byte[] b, int at) {
        try {
            byte[] four = {b[at], b[at + 1], b[at + 2], b[at + 3]};
            return Optional.of((Inet4Address) InetAddress.getByAddress(four));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Range range(String cidr, String reason) {
        return new Range(Cidr.parse(cidr), AddressClass.METADATA, reason);
    }

    private static Range range(String cidr, AddressClass addressClass, String reason) {
        return new Range(Cidr.parse(cidr), addressClass, reason);
    }

    private record Range(Cidr cidr, AddressClass addressClass, String reason) {
    }
}
