package kap.mcp.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import kap.mcp.AuthRecord;
import kap.mcp.AuthStore;
import kap.policy.AddressClassifier;
import kap.policy.AuditEvent;
import kap.policy.ConfigFiles;
import kap.policy.ListenDefaults;
import kap.sidecar.Sidecar;
import kap.sidecar.SidecarOptions;
import kap.sidecar.spi.Resolver;

/**
 * A real sidecar with the MCP listener on loopback, a kap.toml and an auth directory in a temporary directory, and
 * the audit log the tests read.
 */
final class McpHarness implements AutoCloseable {

    static final HttpClient HTTP = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    final Path dir;
    final Path config;
    final Path authDir;
    final Path audit;
    final Sidecar sidecar;

    McpHarness(Path dir, String servers) throws IOException {
        this.dir = dir;
        this.config = dir.resolve("kap.toml");
        this.authDir = dir.resolve("auth");
        this.audit = dir.resolve("audit.jsonl");
        Files.writeString(config, toml(servers));
        this.sidecar = Sidecar.start(new SidecarOptions(new ConfigFiles(Optional.of(config), List.of(),
                ListenDefaults.local()), Duration.ofMillis(100), Resolver.system(), AddressClassifier.create(Set::of)));
    }

    String toml(String servers) {
        return """
                [proxy]
                listen = "127.0.0.1:0"
                dns_listen = "127.0.0.1:0"
                admin_listen = "127.0.0.1:0"
                [proxy.observe]
                log = "%s"
                [proxy.network]
                allow = ["example.com"]
                [mcp]
                listen = "127.0.0.1:0"
                auth_dir = "%s"
                %s
                """.formatted(audit, authDir, servers);
    }

    void rewrite(String servers) throws IOException {
        Files.writeString(config, toml(servers));
    }

    void register(String name, String upstream, Map<String, String> headers) throws IOException {
        AuthStore.at(authDir).write(name, AuthRecord.withHeaders(URI.create(upstream), headers));
    }

    int port() {
        return sidecar.listener("mcp").orElseThrow().addresses().getFirst().getPort();
    }

    String url(String server) {
        return "http://127.0.0.1:" + port() + "/" + server;
    }

    List<AuditEvent> events() throws IOException {
        return Files.readAllLines(audit).stream().map(AuditEvent::parse).flatMap(Optional::stream).toList();
    }

    List<AuditEvent> events(Predicate<AuditEvent> which) throws IOException {
        return events().stream().filter(which).toList();
    }

    /** POSTs raw bytes to a server path, as a hostile client would. */
    HttpResponse<String> post(String server, String contentType, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(server))).timeout(Duration.ofSeconds(20))
                .header("Content-Type", contentType).header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        sidecar.close();
    }
}
