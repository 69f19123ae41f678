package kap.dns;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import kap.policy.Policy;

class ReverseZonesTest {

    private static final Policy POLICY = PolicyFixtures.allowing("*.in-addr.arpa");
    private static final Policy OPENED = PolicyFixtures.policy(
            "[proxy.network]\nallow = [\"*.in-addr.arpa\"]\nunsafe_allow_cidrs = [\"10.0.0.0/8\"]\n");

    @ParameterizedTest(name = "{0} refused: {1}")
    @CsvSource({
            "4.3.2.10.in-addr.arpa, true",
            "1.0.0.127.in-addr.arpa, true",
            "5.1.168.192.in-addr.arpa, true",
            "254.169.in-addr.arpa, true",
            "168.192.in-addr.arpa, true",
            "10.in-addr.arpa, true",
            "in-addr.arpa, true",
            "x.y.10.in-addr.arpa, true",
            "8.8.8.8.in-addr.arpa, false",
            "34.216.184.93.in-addr.arpa, false",
            "1.in-addr.arpa, false",
            "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa, true",
            "d.f.ip6.arpa, true",
            "0.8.e.f.ip6.arpa, true",
            "8.8.8.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.6.8.4.1.0.0.2.ip6.arpa, false",
            "example.com, false",
            "in-addr.arpa.example.com, false"
    })
    void refusesReverseNamesCoveringNonPublicAddresses(String name, boolean refused) {
        assertThat(ReverseZones.nonPublic(name, POLICY), is(refused));
    }

    @ParameterizedTest(name = "{0} with 10/8 opened: refused {1}")
    @CsvSource({"4.3.2.10.in-addr.arpa, false", "10.in-addr.arpa, false", "5.1.168.192.in-addr.arpa, true"})
    void followsUnsafeCidrs(String name, boolean refused) {
        assertThat(ReverseZones.nonPublic(name, OPENED), is(refused));
    }
}
