package kap.policy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * The class of one address and why.
 *
 * @param address the address classified
 * @param addressClass its class; for IPv6 forms that embed IPv4, the class of the embedded address
 * @param reason human-readable reason naming the range and its RFC
 * @param embedded the IPv4 address embedded in an IPv6 form (mapped, compatible, NAT64, 6to4, Teredo), if any
 */
public record Classification(InetAddress address, AddressClass addressClass, String reason,
                             Optional<Inet4Address> embedded) {

    /**
     * Validates the record.
     */
    public Classification {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(addressClass, "addressClass");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(embedded, "embedded");
    }

    /**
     * Whether the address is an ordinary public one.
     *
     * @return {@code true} for {@link AddressClass#PUBLIC}
     */
    public boolean isPublic() {
        return addressClass == AddressClass.PUBLIC;
    }
}
