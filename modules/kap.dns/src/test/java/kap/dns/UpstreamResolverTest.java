package kap.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import kap.dns.TestUpstream.Script;
import kap.policy.AddressClassifier;
import kap.policy.ConfigFiles;
import kap.policy.ListenDefaults;
import kap.policy.LivePolicy;
import kap.sidecar.spi.Resolver;
import kap.sidecar.spi.ResolverProvider;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The egress proxy resolves through the DNS forwarder's upstreams, found on the module path as a ResolverProvider.
 */
@Timeout(30)
class UpstreamResolverTest {

    @TempDir
    Path dir;

    @Test
    void theModuleProvidesTheUpstreamResolverForTheSidecarsServiceLoader() {
        var provides = UpstreamResolverTest.class.getModule().getDescriptor().provides().stream()
                .filter(p -> p.service().equals(ResolverProvider.class.getName())).findFirst().orElseThrow();
        assertThat(provides.providers(), is(List.of(UpstreamResolverProvider.class.getName())));
        assertThat(new UpstreamResolverProvider(), instanceOf(ResolverProvider.class));
    }

    @Test
    void resolvesThroughTheConfiguredUpstreamAndFollowsReloads() throws Exception {
        try (TestUpstream first = TestUpstream.start(n -> Script.answer(60, "192.0.2.10"));
             TestUpstream second = TestUpstream.start(n -> Script.answer(60, "192.0.2.20"))) {
            Path toml = dir.resolve("kap.toml");
            Files.writeString(toml, Fixture.toml(dir, List.of(first.endpoint()), List.of("a.example.test"), ""));
            try (LivePolicy live = LivePolicy.loadOnce(new ConfigFiles(Optional.of(toml), List.of(),
                    ListenDefaults.local()), AddressClassifier.create())) {
                Resolver resolver = new UpstreamResolverProvider().create(live);
                assertThat(resolver.resolve("a.example.test").getFirst(), is(InetAddress.ofLiteral("192.0.2.10")));
                assertThat(first.queries("a.example.test") >= 1, is(true));
                Files.writeString(toml, Fixture.toml(dir, List.of(second.endpoint()), List.of("a.example.test"), ""));
                live.reloadNow();
                assertThat(resolver.resolve("a.example.test").getFirst(), is(InetAddress.ofLiteral("192.0.2.20")));
            }
        }
    }

    @Test
    void localhostIsLoopbackAndNeverAskedUpstream() throws Exception {
        try (TestUpstream up = TestUpstream.start(n -> Script.answer(60, "192.0.2.99"))) {
            Path toml = dir.resolve("kap.toml");
            Files.writeString(toml, Fixture.toml(dir, List.of(up.endpoint()), List.of("localhost"), ""));
            try (LivePolicy live = LivePolicy.loadOnce(new ConfigFiles(Optional.of(toml), List.of(),
                    ListenDefaults.local()), AddressClassifier.create())) {
                Resolver resolver = new UpstreamResolverProvider().create(live);
                assertThat(resolver.resolve("localhost").getFirst(), is(InetAddress.ofLiteral("127.0.0.1")));
                assertThat(resolver.resolve("app.localhost").getFirst(), is(InetAddress.ofLiteral("127.0.0.1")));
                assertThat(up.queries("localhost") + up.queries("app.localhost"), is(0));
            }
        }
    }

    @Test
    void aNameTheUpstreamDoesNotKnowIsAnUnknownHost() throws Exception {
        try (TestUpstream up = TestUpstream.start(n -> Script.nxdomain(60))) {
            Path toml = dir.resolve("kap.toml");
            Files.writeString(toml, Fixture.toml(dir, List.of(up.endpoint()), List.of("a.example.test"), ""));
            try (LivePolicy live = LivePolicy.loadOnce(new ConfigFiles(Optional.of(toml), List.of(),
                    ListenDefaults.local()), AddressClassifier.create())) {
                UnknownHostException e = assertThrows(UnknownHostException.class,
                        () -> new UpstreamResolverProvider().create(live).resolve("gone.example.test"));
                assertThat(e.getMessage(), containsString("gone.example.test"));
            }
        }
    }
}
