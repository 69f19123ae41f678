package kap.policy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static kap.policy.AddressClass.BROADCAST;
import static kap.policy.AddressClass.HOST_OWN;
import static kap.policy.AddressClass.LOOPBACK;
import static kap.policy.AddressClass.METADATA;
import static kap.policy.AddressClass.PUBLIC;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * An adversarial corpus of boundary addresses. No packet is sent: classification is pure.
 */
class AddressClassifierTest {

    private final AddressClassifier classifier = Policies.CLASSIFIER;

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            // RFC 1122 §3.2.1.3: 127.0.0.0/8 is loopback; its neighbours are ordinary unicast
            "126.255.255.255|PUBLIC|public address",
            "127.0.0.0|LOOPBACK|RFC 1122",
            "127.0.0.1|LOOPBACK|RFC 1122",
            "127.255.255.255|LOOPBACK|RFC 1122",
            "128.0.0.0|PUBLIC|public address",
            // RFC 1918 private networks, at both edges of each block
            "9.255.255.255|PUBLIC|public address",
            "10.0.0.0|PRIVATE|RFC 1918",
            "10.255.255.255|PRIVATE|RFC 1918",
            "11.0.0.0|PUBLIC|public address",
            "172.15.255.255|PUBLIC|public address",
            "172.16.0.0|PRIVATE|RFC 1918",
            "172.31.255.255|PRIVATE|RFC 1918",
            "172.32.0.0|PUBLIC|public address",
            "192.167.255.255|PUBLIC|public address",
            "192.168.0.0|PRIVATE|RFC 1918",
            "192.168.255.255|PRIVATE|RFC 1918",
            "192.169.0.0|PUBLIC|public address",
            // RFC 6598 shared address space (CGNAT) 100.64.0.0/10
            "100.63.255.255|PUBLIC|public address",
            "100.64.0.0|SHARED|RFC 6598",
            "100.127.255.255|SHARED|RFC 6598",
            "100.128.0.0|PUBLIC|public address",
            // RFC 3927 link-local, and the metadata endpoints inside and outside it
            "169.253.255.255|PUBLIC|public address",
            "169.254.0.0|LINK_LOCAL|RFC 3927",
            "169.254.255.255|LINK_LOCAL|RFC 3927",
            "169.255.0.0|PUBLIC|public address",
            "169.254.169.254|METADATA|AWS, GCP, Azure",
            "169.254.170.2|METADATA|AWS ECS",
            "100.100.100.200|METADATA|Alibaba",
            "168.63.129.16|METADATA|Azure WireServer",
            "192.0.0.192|METADATA|Oracle",
            // RFC 1122 "this network", RFC 919 broadcast, RFC 5771 multicast, RFC 1112 reserved
            "0.0.0.0|UNSPECIFIED|RFC 1122",
            "0.255.255.255|UNSPECIFIED|this network",
            "1.0.0.0|PUBLIC|public address",
            "223.255.255.255|PUBLIC|public address",
            "224.0.0.0|MULTICAST|RFC 5771",
            "239.255.255.255|MULTICAST|RFC 5771",
            "240.0.0.0|RESERVED|RFC 1112",
            "255.255.255.254|RESERVED|RFC 1112",
            "255.255.255.255|BROADCAST|RFC 919",
            // RFC 5737 documentation, RFC 2544 benchmarking, RFC 6890 IETF assignments
            "192.0.0.1|RESERVED|RFC 6890",
            "192.0.2.0|RESERVED|RFC 5737",
            "198.51.100.255|RESERVED|RFC 5737",
            "203.0.113.1|RESERVED|RFC 5737",
            "198.17.255.255|PUBLIC|public address",
            "198.18.0.0|RESERVED|RFC 2544",
            "198.19.255.255|RESERVED|RFC 2544",
            "198.20.0.0|PUBLIC|public address",
            // IPv6, RFC 4291 / 4193 / 3849 / 3879 / 6666
            "::|UNSPECIFIED|RFC 4291",
            "::1|LOOPBACK|RFC 4291",
            "fe80::|LINK_LOCAL|RFC 4291",
            "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff|LINK_LOCAL|RFC 4291",
            "fec0::1|PRIVATE|RFC 3879",
            "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff|PUBLIC|public address",
            "fc00::|PRIVATE|RFC 4193",
            "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff|PRIVATE|RFC 4193",
            "fd00:ec2::254|METADATA|AWS IPv6",
            "ff02::1|MULTICAST|RFC 4291",
            "2001:db8::1|RESERVED|RFC 3849",
            "100::1|RESERVED|RFC 6666",
            "2606:4700:4700::1111|PUBLIC|public address",
            // IPv6 forms that embed IPv4 are judged by the IPv4 (RFC 4291, 6052, 8215, 3056, 4380, 2765)
            "::ffff:0:7f00:1|LOOPBACK|IPv4-mapped form",
            "::127.0.0.1|LOOPBACK|IPv4-compatible form",
            "::10.1.2.3|PRIVATE|IPv4-compatible form",
            "64:ff9b::7f00:1|LOOPBACK|NAT64 form",
            "64:ff9b::a00:1|PRIVATE|NAT64 form",
            "64:ff9b::a9fe:a9fe|METADATA|NAT64 form",
            "64:ff9b::5db8:d822|PUBLIC|NAT64 form",
            "64:ff9b:1::a00:1|PRIVATE|NAT64 form",
            "2002:7f00:1::|LOOPBACK|6to4 form",
            "2002:a9fe:a9fe::1|METADATA|6to4 form",
            "2002:5db8:d822::|PUBLIC|6to4 form",
            "2001:0:4136:e378:8000:63bf:80ff:fffe|LOOPBACK|Teredo form",
            "2001:0:4136:e378:8000:63bf:f5ff:fffe|PRIVATE|Teredo form",
    })
    void classifiesBoundaryAddresses(String address, AddressClass expected, String reason) {
        Classification c = classifier.classify(InetAddress.ofLiteral(address));
        assertThat(c.addressClass(), is(expected));
        assertThat(c.reason(), containsString(reason));
    }

    @Test
    void judgesAnIpv4MappedAddressByItsIpv4EvenWhenKeptAsIpv6() throws UnknownHostException {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 127;
        mapped[15] = 1;
        Classification c = classifier.classify(Inet6Address.getByAddress(null, mapped, -1));
        assertThat(c.addressClass(), is(LOOPBACK));
        assertThat(c.embedded().orElseThrow().getHostAddress(), is("127.0.0.1"));
    }

    @Test
    void javaParsesTheMappedTextFormToIpv4AndTheClassIsTheSame() {
        assertThat(classifier.classify(InetAddress.ofLiteral("::ffff:127.0.0.1")).addressClass(), is(LOOPBACK));
        assertThat(classifier.classify(InetAddress.ofLiteral("::ffff:169.254.169.254")).addressClass(), is(METADATA));
    }

    @Test
    void classifiesTheHostsOwnAddresses() {
        InetAddress own = InetAddress.ofLiteral("93.184.216.34");
        AddressClassifier withOwn = AddressClassifier.create(() -> Set.of(own));
        assertThat(withOwn.classify(own).addressClass(), is(HOST_OWN));
        assertThat(withOwn.classify(InetAddress.ofLiteral("93.184.216.35")).addressClass(), is(PUBLIC));
    }

    @Test
    void theDefaultClassifierKnowsThisMachinesLoopbackInterface() {
        assertThat(AddressClassifier.create().classify(InetAddress.ofLiteral("127.0.0.1")).addressClass(),
                is(LOOPBACK));
        assertThat(classifier.classify(InetAddress.ofLiteral("255.255.255.255")).addressClass(), is(BROADCAST));
    }
}
