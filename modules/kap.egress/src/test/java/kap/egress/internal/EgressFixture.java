package kap.egress.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import kap.egress.Egress;
import kap.policy.AddressClassifier;
import kap.policy.AuditEvent;
import kap.policy.AuditLog;
import kap.policy.ConfigFiles;
import kap.policy.ListenDefaults;
import kap.policy.LivePolicy;
import kap.sidecar.spi.Resolver;
import kap.sidecar.spi.SidecarContext;

/**
 * A running egress proxy on 127.0.0.1:0 with a kap.toml in a temp directory, an audit log the test reads, and a
 * resolver that maps test names to the addresses the test gives (never the machine's resolver).
 */
final class EgressFixture implements AutoCloseable {

    private final Path dir;
    private final Path config;
    private final Path auditFile;
    private final LivePolicy policy;
    private final AuditLog audit;
    private final Egress egress;
    private final Map<String, List<InetAddress>> names;

    private EgressFixture(Path dir, Path config, Path auditFile, LivePolicy policy, AuditLog audit, Egress egress,
                          Map<String, List<InetAddress>> names) {
        this.dir = dir;
        this.config = config;
        this.auditFile = auditFile;
        this.policy = policy;
        this.audit = audit;
        this.egress = egress;
        this.names = names;
    }

    /** A builder with no rules and no names. */
    static Builder builder() {
        return new Builder();
    }

    static final class Builder {
        private final List<String> allow = new ArrayList<>();
        private final List<String> deny = new ArrayList<>();
        private final List<String> unsafe = new ArrayList<>();
        private final Map<String, String> limits = new LinkedHashMap<>();
        private final Map<String, List<InetAddress>> names = new ConcurrentHashMap<>();

        Builder allow(String... rules) {
            allow.addAll(List.of(rules));
            return this;
        }

        Builder deny(String... rules) {
            deny.addAll(List.of(rules));
            return this;
        }

        Builder unsafe(String... cidrs) {
            unsafe.addAll(List.of(cidrs));
            return this;
        }

        /** Maps a test name to addresses (literals only). */
        Builder name(String name, String... addresses) {
            List<InetAddress> list = new ArrayList<>();
            for (String a : addresses) {
                list.add(InetAddress.ofLiteral(a));
            }
            names.put(name, list);
            return this;
        }

        /** Sets a {@code [proxy.limits]} key to a TOML value, such as {@code "1s"} or {@code 4}. */
        Builder limit(String key, String tomlValue) {
            limits.put(key, tomlValue);
            return this;
        }

        EgressFixture start() throws IOException {
            Path dir = Files.createTempDirectory("kap-egress-test");
            Path config = dir.resolve("kap.toml");
            Path auditFile = dir.resolve("audit.jsonl");
            Files.writeString(config, toml(auditFile));
            LivePolicy policy = LivePolicy.loadOnce(new ConfigFiles(Optional.of(config), List.of(),
                    ListenDefaults.local()), AddressClassifier.create());
            AuditLog audit = AuditLog.open(auditFile, 64L * 1024 * 1024, 2);
            Resolver resolver = name -> {
                List<InetAddress> found = names.get(name);
                if (found == null) {
                    throw new UnknownHostException(name + " (not a test name)");
                }
                return found;
            };
            SidecarContext context = new SidecarContext(policy, audit, policy.current().config(), resolver);
            Egress egress = Egress.start(context);
            return new EgressFixture(dir, config, auditFile, policy, audit, egress, names);
        }

        String toml(Path auditFile) {
            StringBuilder out = new StringBuilder();
            out.append("[proxy]\nlisten = \"127.0.0.1:0\"\n\n[proxy.network]\n");
            out.append("allow = ").append(list(allow)).append('\n');
            out.append("deny = ").append(list(deny)).append('\n');
            out.append("unsafe_allow_cidrs = ").append(list(unsafe)).append("\n\n");
            out.append("[proxy.observe]\nlog = \"").append(auditFile.toString().replace("\\", "/")).append("\"\n\n");
            out.append("[proxy.limits]\n");
            limits.forEach((k, v) -> out.append(k).append(" = ").append(v).append('\n'));
            return out.toString();
        }

        private static String list(List<String> items) {
            return items.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(", ", "[", "]"));
        }
    }

    int port() {
        return egress.address().getPort();
    }

    InetSocketAddress address() {
        return egress.address();
    }

    Egress egress() {
        return egress;
    }

    Path dir() {
        return dir;
    }

    /** Every egress event written so far. */
    List<AuditEvent> events() {
        try {
            if (!Files.exists(auditFile)) {
                return List.of();
            }
            return Files.readAllLines(auditFile, StandardCharsets.UTF_8).stream().map(AuditEvent::parse)
                    .flatMap(Optional::stream).filter(e -> e.source().equals("egress")).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits up to 10 s for an event matching the predicate. */
    AuditEvent awaitEvent(Predicate<AuditEvent> matching) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<AuditEvent> found = events().stream().filter(matching).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            sleep(20);
        }
        throw new AssertionError("no audit event matched within 10 s; events: " + events());
    }

    /** Waits for an event about this subject. */
    AuditEvent awaitEvent(String subject) {
        return awaitEvent(e -> e.subject().equals(subject));
    }

    /** Replaces the policy file and applies it now. */
    void rewrite(Builder changed) throws IOException {
        Files.writeString(config, changed.toml(auditFile));
        policy.reloadNow();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        egress.shutdown(0);
        policy.close();
        audit.close();
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
