package kap.egress;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import kap.policy.AddressClassifier;
import kap.policy.ConfigFiles;
import kap.policy.ListenDefaults;
import kap.sidecar.Sidecar;
import kap.sidecar.SidecarOptions;
import kap.sidecar.spi.ListenerProvider;

/**
 * On the module path, the sidecar finds the egress provider through ServiceLoader, starts it on the configured
 * address, and a kap.toml edit applies to the next request without a restart.
 */
@Timeout(60)
class EgressProviderTest {

    @Test
    void sidecarFindsAndStartsEgressFirst() {
        List<ListenerProvider> providers = Sidecar.providers();
        assertThat(providers.stream().map(ListenerProvider::name).toList(), hasItem("egress"));
        ListenerProvider egress = providers.stream().filter(p -> p.name().equals("egress")).findFirst().orElseThrow();
        assertThat(egress.order(), is(10));
        assertThat(egress.getClass().getModule().getName(), is("kap.egress"));
    }

    @Test
    void sidecarServesEgressAndAppliesPolicyEditsToNextRequest(@TempDir Path dir) throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        http.createContext("/", x -> {
            byte[] body = "upstream says hi\n".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        http.start();
        int port = http.getAddress().getPort();
        Path config = dir.resolve("kap.toml");
        Files.writeString(config, toml(dir, "[]"));
        SidecarOptions options = new SidecarOptions(new ConfigFiles(Optional.of(config), List.of(),
                ListenDefaults.local()), Duration.ofMillis(100), name -> {
                    if (name.equals("app.test")) {
                        return List.of(InetAddress.ofLiteral("127.0.0.1"));
                    }
                    throw new UnknownHostException(name);
                }, AddressClassifier.create());
        try (Sidecar sidecar = Sidecar.start(options)) {
            InetSocketAddress egress = sidecar.listener("egress").orElseThrow().addresses().getFirst();
            String request = "GET http://app.test:" + port + "/ HTTP/1.1\r\nHost: app.test\r\n\r\n";
            assertThat(exchange(egress, request), containsString("403 Forbidden"));
            Files.writeString(config, toml(dir, "[\"app.test:" + port + "\"]"));
            long deadline = System.nanoTime() + 5_000_000_000L;
            String answer = exchange(egress, request);
            while (!answer.contains("200") && System.nanoTime() < deadline) {
                Thread.sleep(50);
                answer = exchange(egress, request);
            }
            assertThat(answer, containsString("upstream says hi"));
        } finally {
            http.stop(0);
        }
    }

    private static String toml(Path dir, String allow) {
        return """
                [proxy]
                listen = "127.0.0.1:0"
                admin_listen = "127.0.0.3:0"

                [proxy.network]
                allow = %s
                unsafe_allow_cidrs = ["127.0.0.0/8"]

                [proxy.observe]
                log = "%s"
                """.formatted(allow, dir.resolve("audit.jsonl").toString().replace("\\", "/"));
    }

    private static String exchange(InetSocketAddress proxy, String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(proxy, 2000);
            s.setSoTimeout(5000);
            s.getOutputStream().write((request.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"))
                    .getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
