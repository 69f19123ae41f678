package kap.runtime.namespace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import kap.policy.AuditEvent;
import kap.testing.Eventually;

/**
 * The audit log a sandbox's sidecar wrote ({@code ~/.kap/log/audit.jsonl}).
 */
final class Audit {

    private Audit() {
    }

    static List<AuditEvent> events(Sandbox sandbox) throws IOException {
        Path log = sandbox.kapHome().resolve("log").resolve("audit.jsonl");
        if (!Files.exists(log)) {
            return List.of();
        }
        return Files.readAllLines(log).stream().map(AuditEvent::parse).flatMap(java.util.Optional::stream).toList();
    }

    /** Whether an event from this source, about a subject starting with this, with this verdict, was recorded. */
    static boolean recorded(Sandbox sandbox, String source, String subject, String verdict) throws Exception {
        return Eventually.within(Duration.ofSeconds(5), () -> {
            try {
                return events(sandbox).stream().anyMatch(e -> e.source().equals(source)
                        && e.subject().startsWith(subject) && e.verdict().wire().equals(verdict));
            } catch (IOException e) {
                return false;
            }
        }) != null;
    }
}
