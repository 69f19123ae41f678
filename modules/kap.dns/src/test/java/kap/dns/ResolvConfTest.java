package kap.dns;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

import kap.policy.AuditLog;
import kap.policy.Endpoint;

class ResolvConfTest {

    @TempDir
    Path dir;

    @Test
    void readsNameserversAndTheLastSearchLine() {
        ResolvConf conf = ResolvConf.parse("""
                # generated
                nameserver 127.0.0.53
                nameserver fe80::1%eth0
                domain old.example
                search Corp.Example lab.example
                options ndots:0 edns0
                ; comment
                nameserver 192.0.2.1
                nameserver 192.0.2.2
                nameserver not-an-ip
                """);
        assertThat(conf.nameservers(), contains(Endpoint.parse("127.0.0.53:53", -1), Endpoint.parse("[fe80::1]:53",
                -1), Endpoint.parse("192.0.2.1:53", -1)));
        assertThat(conf.searchDomains(), contains("corp.example", "lab.example"));
    }

    @Test
    void treatsAMissingFileAsEmpty() throws IOException {
        ResolvConf conf = ResolvConf.read(dir.resolve("absent"));
        assertThat(conf.nameservers(), is(empty()));
        assertThat(conf.searchDomains(), is(empty()));
    }

    @Test
    void dropsNameserversThatAreThisForwarder() {
        List<Endpoint> servers = List.of(Endpoint.parse("127.0.0.11:53", -1), Endpoint.parse("127.0.0.53:53", -1),
                Endpoint.parse("127.0.0.1:5353", -1));
        assertThat(DnsServer.withoutSelf(servers, new InetSocketAddress("127.0.0.11", 53)),
                contains(servers.get(1), servers.get(2)));
        assertThat(DnsServer.withoutSelf(servers, new InetSocketAddress("0.0.0.0", 53)), contains(servers.get(2)));
    }

    @Test
    @Timeout(10)
    void refusesToStartWithoutAnyUpstreamAndNeverFallsBackToAPublicResolver() throws Exception {
        Path toml = dir.resolve("kap.toml");
        Files.writeString(toml, "[proxy.network]\nallow = [\"example.com\"]\n");
        Path resolv = dir.resolve("resolv.conf");
        Files.writeString(resolv, "search example\n");
        var policy = kap.policy.LivePolicy.loadOnce(new kap.policy.ConfigFiles(java.util.Optional.of(toml), List.of(),
                kap.policy.ListenDefaults.local()), kap.policy.AddressClassifier.create(java.util.Set::of));
        try (AuditLog audit = AuditLog.open(dir.resolve("audit.jsonl"), 1 << 20, 1)) {
            Executable start = () -> DnsForwarder.start(new DnsOptions(policy, audit,
                    Endpoint.parse("127.0.0.1:0", -1), resolv)).close();
            IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, start);
            assertThat(e.getMessage(), containsString("no upstream resolver"));
            assertThat(e.getMessage(), containsString("never falls back to a public resolver"));
        }
    }
}
