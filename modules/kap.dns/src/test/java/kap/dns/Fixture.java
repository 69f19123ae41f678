package kap.dns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import kap.policy.AddressClassifier;
import kap.policy.AuditEvent;
import kap.policy.AuditLog;
import kap.policy.ConfigFiles;
import kap.policy.Endpoint;
import kap.policy.ListenDefaults;
import kap.policy.LivePolicy;

/**
 * A forwarder started for one test: a kap.toml in a temporary directory, the live policy, an audit log in that
 * directory, and a resolv.conf that names no nameserver (tests always set their own upstreams).
 */
final class Fixture implements AutoCloseable {

    private final Path dir;
    private final LivePolicy policy;
    private final AuditLog audit;
    private final DnsForwarder forwarder;

    private Fixture(Path dir, LivePolicy policy, AuditLog audit, DnsForwarder forwarder) {
        this.dir = dir;
        this.policy = policy;
        this.audit = audit;
        this.forwarder = forwarder;
    }

    /**
     * Starts a forwarder.
     *
     * @param dir temporary directory
     * @param upstreams upstream endpoints
     * @param allow allow rules
     * @param extra more TOML, appended at the end (for example a {@code [proxy.dns]} table)
     * @return the fixture
     */
    static Fixture start(Path dir, List<Endpoint> upstreams, List<String> allow, String extra) throws IOException {
        Path toml = dir.resolve("kap.toml");
        Files.writeString(toml, toml(dir, upstreams, allow, extra));
        Path resolv = dir.resolve("resolv.conf");
        Files.writeString(resolv, "# test resolver configuration: no nameserver\nsearch corp.example\n");
        LivePolicy policy = LivePolicy.loadOnce(new ConfigFiles(Optional.of(toml), List.of(), ListenDefaults.local()),
                AddressClassifier.create(java.util.Set::of));
        AuditLog audit = AuditLog.open(dir.resolve("audit.jsonl"), 64L << 20, 2);
        DnsForwarder forwarder = DnsForwarder.start(new DnsOptions(policy, audit, Endpoint.parse("127.0.0.1:0", -1),
                resolv));
        return new Fixture(dir, policy, audit, forwarder);
    }

    static String toml(Path dir, List<Endpoint> upstreams, List<String> allow, String extra) {
        return "[proxy]\n"
                + "dns_upstream = [" + upstreams.stream().map(e -> "\"" + e + "\"").collect(Collectors.joining(", "))
                + "]\n\n[proxy.network]\nallow = [" + allow.stream().map(a -> "\"" + a + "\"")
                .collect(Collectors.joining(", ")) + "]\n\n"
                + "[proxy.observe]\nlog = \"" + dir.resolve("audit.jsonl") + "\"\n\n" + extra + "\n";
    }

    int port() {
        return forwarder.udpAddress().getPort();
    }

    DnsForwarder forwarder() {
        return forwarder;
    }

    LivePolicy policy() {
        return policy;
    }

    Path dir() {
        return dir;
    }

    /**
     * Every event in the audit log so far.
     *
     * @return events
     */
    List<AuditEvent> events() throws IOException {
        List<AuditEvent> events = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("audit.jsonl"))) {
            AuditEvent.parse(line).ifPresent(events::add);
        }
        return events;
    }

    /**
     * Events from kap.dns that match.
     *
     * @param filter the test
     * @return matching events
     */
    List<AuditEvent> dnsEvents(Predicate<AuditEvent> filter) throws IOException {
        return events().stream().filter(e -> e.source().equals("dns")).filter(filter).toList();
    }

    /**
     * Deny events for a subject such as {@code example.com A}.
     *
     * @param subject the subject
     * @return events
     */
    List<AuditEvent> denials(String subject) throws IOException {
        return dnsEvents(e -> e.subject().equals(subject) && e.verdict() == AuditEvent.Outcome.DENY);
    }

    @Override
    public void close() throws IOException {
        forwarder.shutdown(0);
        audit.close();
    }
}
