package kap.runtime.docker;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

/**
 * Subnet choice: stable per project, inside 172.18–172.31, clear of every network Docker already has.
 */
class SubnetsTest {

    private static int p(String dotted) {
        return Subnets.prefixOf(dotted + ".0");
    }

    @Test
    void thePreferredSubnetIsStableAndInRange() {
        Path dir = Path.of("/home/me/projects/demo");
        int first = Subnets.preferred(dir);
        assertThat(Subnets.preferred(dir), equalTo(first));
        int second = (first >> 8) & 0xff;
        assertThat(second >= 18 && second <= 31, is(true));
        assertThat(first >> 16, equalTo(172));
    }

    @Test
    void theOriginalsHashGivesTheOriginalsSubnet() {
        // h = h*31 + b over "/a" = 47*31 + 97 = 1554; 172.(18 + 1554 % 14).(1554 >> 8) = 172.18.6
        assertThat(Subnets.dotted(Subnets.preferred(Path.of("/a"))), equalTo("172.18.6"));
    }

    record Next(String from, String to) {
    }

    static Stream<Next> nexts() {
        return Stream.of(new Next("172.20.5", "172.20.6"), new Next("172.20.255", "172.21.0"),
                new Next("172.31.255", "172.18.0"));
    }

    @ParameterizedTest
    @MethodSource("nexts")
    void nextRollsOverIntoTheSecondOctetAndWrapsAtTheEnd(Next n) {
        assertThat(Subnets.dotted(Subnets.next(p(n.from()))), equalTo(n.to()));
    }

    record Taken(String cidr, String candidate, boolean free) {
    }

    static Stream<Taken> overlaps() {
        return Stream.of(
                new Taken("172.20.5.0/24", "172.20.5", false),
                new Taken("172.20.5.0/24", "172.20.6", true),
                new Taken("172.20.0.0/16", "172.20.200", false),
                new Taken("172.16.0.0/12", "172.25.1", false),
                new Taken("172.20.5.128/25", "172.20.5", false),
                new Taken("10.0.0.0/8", "172.20.5", true),
                new Taken("fd00::/64", "172.20.5", true));
    }

    @ParameterizedTest
    @MethodSource("overlaps")
    void aSubnetIsFreeOnlyIfNoExistingNetworkOverlapsIt(Taken t) {
        assertThat(Subnets.free(p(t.candidate()), List.of(t.cidr())), is(t.free()));
    }

    @Test
    void choosesThePreferredPairWhenFreeAndStepsPastTakenOnes() {
        assertThat(Subnets.choose(p("172.20.10"), List.of()).orElseThrow(),
                equalTo(new Subnets.Pair(p("172.20.10"), p("172.20.11"))));
        var moved = Subnets.choose(p("172.20.10"), List.of("172.20.11.0/24")).orElseThrow();
        assertThat(moved, equalTo(new Subnets.Pair(p("172.20.12"), p("172.20.13"))));
        assertThat(moved.sandboxCidr(), equalTo("172.20.12.0/24"));
    }

    @Test
    void givesUpWhenTheWholeRangeIsTaken() {
        assertThat(Subnets.choose(p("172.20.10"), List.of("172.16.0.0/12")).isPresent(), is(false));
    }
}
