package kap.policy;

/**
 * What kind of address an IP is, for the second layer of the egress check and the DNS rebinding guard.
 * Everything except {@link #PUBLIC} is denied unless an {@code unsafe_allow_cidrs} entry opens it.
 */
public enum AddressClass {
    /** Globally routable unicast. */
    PUBLIC,
    /** 127.0.0.0/8 and ::1 (RFC 1122, RFC 4291). */
    LOOPBACK,
    /** RFC 1918 private networks and IPv6 unique local addresses fc00::/7 (RFC 4193). */
    PRIVATE,
    /** Shared address space 100.64.0.0/10, carrier-grade NAT (RFC 6598). */
    SHARED,
    /** 169.254.0.0/16 (RFC 3927) and fe80::/10 (RFC 4291). */
    LINK_LOCAL,
    /** A cloud metadata or platform endpoint, inside or outside the link-local range. */
    METADATA,
    /** 224.0.0.0/4 and ff00::/8. */
    MULTICAST,
    /** The limited broadcast address 255.255.255.255 (RFC 919). */
    BROADCAST,
    /** 0.0.0.0, :: and 0.0.0.0/8 "this network" (RFC 1122, RFC 4291). */
    UNSPECIFIED,
    /** Reserved, documentation, benchmarking and other special-purpose ranges (RFC 6890). */
    RESERVED,
    /** An address of one of this host's own interfaces. */
    HOST_OWN
}
