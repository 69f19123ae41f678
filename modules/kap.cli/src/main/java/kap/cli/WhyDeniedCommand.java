package kap.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import kap.cli.spi.Capsule;
import kap.policy.AuditEvent;
import kap.policy.AuditFollower;

/**
 * {@code kap why-denied}: the denials in the sidecar's audit log, each with the kap.toml line that would allow it.
 */
@Command(name = "why-denied", mixinStandardHelpOptions = true,
        description = {"Show denied requests from the sidecar's audit log, with a suggested kap.toml line for each."})
final class WhyDeniedCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long FOLLOW_POLL_MILLIS = 250;
    /** The name {@code kap status}'s probes ask for; their denials are expected, not the agent's. */
    static final String PROBE_NAME = "kap-probe.invalid";

    @Option(names = {"-p", "--project-dir"}, paramLabel = "DIR", defaultValue = ".",
            description = "the project (default: the current directory)")
    Path projectDir;

    @Option(names = {"-c", "--capsule"}, paramLabel = "CAPSULE", description = "capsule id or project name")
    String capsule;

    @Option(names = "--log", paramLabel = "FILE", description = "read this audit log instead of the capsule's")
    Path log;

    @Option(names = {"-f", "--follow"}, description = "keep printing new denials until interrupted")
    boolean follow;

    @Option(names = "--since", paramLabel = "WHEN", description = "only denials after this: a duration back from"
            + " now (10m, 2h, 30s) or an ISO instant (2026-12-04T21:00:00Z)")
    String since;

    @Option(names = "--json", description = "one JSON object per line, with a \"suggestion\" field")
    boolean json;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path file = log != null ? log : auditLogOfCapsule();
        Instant from = since == null ? Instant.EPOCH : parseSince(since, Instant.now());
        int shown = 0;
        try (AuditFollower follower = AuditFollower.open(file, true)) {
            shown += print(follower, from);
            if (!follow) {
                if (shown == 0 && !json) {
                    System.out.println("No denied requests in " + file);
                }
                return 0;
            }
            if (!json) {
                System.out.println("--- following " + file + " (Ctrl-C to stop) ---");
            }
            while (!Thread.currentThread().isInterrupted()) {
                print(follower, from);
                Thread.sleep(FOLLOW_POLL_MILLIS);
            }
        }
        return 0;
    }

    private Path auditLogOfCapsule() throws IOException {
        Capsule c = CapsuleFinder.find(Runtimes.project(Runtimes.DEFAULT, System.err), Optional.ofNullable(capsule),
                projectDir);
        return c.auditLog().orElseThrow(() -> new KapException("capsule " + c.id()
                + " has no audit log on this host; pass --log FILE"));
    }

    private int print(AuditFollower follower, Instant from) throws IOException {
        int n = 0;
        for (String line : follower.poll()) {
            Optional<AuditEvent> parsed = AuditEvent.parse(line);
            if (parsed.isEmpty() || parsed.get().verdict() != AuditEvent.Outcome.DENY
                    || parsed.get().time().isBefore(from) || parsed.get().subject().startsWith(PROBE_NAME)) {
                continue;
            }
            AuditEvent e = parsed.get();
            Optional<String> suggestion = Suggestions.forDenial(e);
            if (json) {
                ObjectNode node = (ObjectNode) JSON.readTree(line);
                node.put("suggestion", suggestion.orElse(null));
                System.out.println(JSON.writeValueAsString(node));
            } else {
                System.out.println(e.time() + "  " + pad(e.source(), 6) + " " + e.subject() + "  DENIED (" + e.reason()
                        + e.rule().map(r -> ", rule " + r).orElse("") + ")");
                suggestion.ifPresent(s -> System.out.println("    to allow: " + s));
            }
            n++;
        }
        System.out.flush();
        return n;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    static Instant parseSince(String text, Instant now) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            // not an instant: try a duration
        }
        try {
            return now.minus(Duration.parse("PT" + text.toUpperCase(java.util.Locale.ROOT)));
        } catch (DateTimeParseException e) {
            throw new KapException("--since: '" + text + "' is neither a duration (10m, 2h) nor an ISO instant");
        }
    }
}
