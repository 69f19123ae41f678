package kap.dns;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

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
import kap.policy.Reasons;
import kap.sidecar.Sidecar;
import kap.sidecar.SidecarOptions;
import kap.sidecar.spi.ListenerProvider;

/**
 * On the module path: the sidecar finds the {@code dns} provider through ServiceLoader and starts it on
 * {@code proxy.dns_listen}.
 */
@Timeout(60)
class SidecarListenerTest {

    @TempDir
    Path dir;

    @Test
    void sidecarFindsAndStartsTheDnsListener() throws Exception {
        assertThat(Sidecar.providers().stream().map(ListenerProvider::name).toList(), hasItem("dns"));
        assertThat(new DnsListenerProvider().order(), is(20));
        try (TestUpstream up = TestUpstream.start(n -> Script.answer(60, "93.184.216.34"))) {
            Path toml = dir.resolve("kap.toml");
            Files.writeString(toml, Fixture.toml(dir, List.of(up.endpoint()), List.of("ok.example.test"), "")
                    .replace("[proxy]\n", "[proxy]\ndns_listen = \"127.0.0.2:0\"\nadmin_listen = \"127.0.0.1:0\"\n"
                            + "listen = \"127.0.0.3:0\"\n"));
            SidecarOptions options = new SidecarOptions(new ConfigFiles(Optional.of(toml), List.of(),
                    ListenDefaults.local()), java.time.Duration.ofMillis(250), kap.sidecar.spi.Resolver.system(),
                    AddressClassifier.create());
            try (Sidecar sidecar = Sidecar.start(options)) {
                var dns = sidecar.listener("dns").orElseThrow();
                int port = dns.addresses().getFirst().getPort();
                assertThat(dns.addresses().get(1).getPort(), is(port));
                Dig.Result ok = runDig(port, "ok.example.test");
                assertThat(ok.status(), is("NOERROR"));
                assertThat(runDig(port, "no.example.test").status(), is("NXDOMAIN"));
                assertThat(Files.readString(dir.resolve("audit.jsonl")), containsString(Reasons.NO_RULE_MATCHED));
            }
        }
    }

    private static Dig.Result runDig(int port, String name) throws Exception {
        List<String> command = List.of("dig", "@127.0.0.2", "-p", String.valueOf(port), name, "A", "+tries=1",
                "+time=2");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return Dig.parse(out, 0);
    }
}
