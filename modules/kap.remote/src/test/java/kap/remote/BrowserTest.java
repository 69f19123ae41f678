package kap.remote;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import kap.policy.AuditEvent;
import kap.policy.Grant;
import kap.policy.Grants;
import kap.policy.Reasons;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;

/**
 * The acceptance in a real browser: headless Debian chromium, driven by playwright-core at 390x844, pairs
 * through the URL decoded from the QR PNG, sees a live denial from a real sidecar's egress proxy arrive, approves it
 * for 5 minutes, and the same request then succeeds through the sidecar. Screenshots of every tab, light and dark,
 * land in {@code target/browser/}.
 */
@Timeout(180)
class BrowserTest {

    private static final String NAME = "shop.kap-test.example";
    private static final Path NODE = Path.of("src/test/node");
    private static final Path SHOTS = Path.of("target/browser");

    @TempDir
    Path dir;

    @Test
    void aPhonePairsSeesADenialApprovesItAndTheRequestThenSucceeds() throws Exception {
        assertThat("Debian's chromium is installed (scripts/test-prereqs.sh)",
                Files.isExecutable(Path.of("/usr/bin/chromium")), is(true));
        assertThat("playwright-core is installed (src/test/node/install.sh)",
                Files.isDirectory(NODE.resolve("node_modules/playwright-core")), is(true));
        try (ServerSocket upstream = LoopbackServers.http();
             LoopbackServers.Dns dns = LoopbackServers.dns(dir, NAME)) {
            Path config = dir.resolve("kap.toml");
            Files.writeString(config, """
                    # the shop's policy
                    [proxy]
                    listen = "127.0.0.1:0"
                    dns_listen = "127.0.0.1:0"
                    admin_listen = "127.0.0.1:0"
                    dns_upstream = "127.0.0.1:%d"
                    [proxy.observe]
                    log = "%s"
                    [proxy.network]
                    allow = ["github.com"]
                    # the test's upstream lives on loopback
                    unsafe_allow_cidrs = ["127.0.0.0/8"]
                    """.formatted(dns.port(), dir.resolve("audit.jsonl")));
            Path token = dir.resolve("admin.token");
            try (SidecarProcess sidecar = SidecarProcess.start(dir, config, dir.resolve("grants.json"), token)) {
                run(sidecar, config, token, upstream.getLocalPort());
            }
        }
    }

    private void run(SidecarProcess sidecar, Path config, Path token, int upstreamPort) throws Exception {
        String target = "http://" + NAME + ":" + upstreamPort + "/";
        int proxy = sidecar.port("egress");
        Path home = agentHome();
        CapsuleRef capsule = new CapsuleRef("shop", "namespace", "shop", dir, "running",
                Optional.of(URI.create("http://127.0.0.1:" + sidecar.port("admin") + "/")),
                Optional.of(Files.readString(token).strip()), Optional.of(config), Instant.now(),
                Map.of("pid", Long.toString(ProcessHandle.current().pid())));
        try (RemoteDaemon daemon = RemoteDaemon.start(RemoteOptions.of(dir.resolve("remote"), "127.0.0.1", 0,
                agentSource(capsule, home)))) {
            Files.createDirectories(SHOTS);
            Path png = SHOTS.resolve("pair.png");
            Files.write(png, daemon.newPairing().qr().png(8));
            String url = QrCodeTest.decode(Files.readAllBytes(png));
            Process phone = new ProcessBuilder("node", "phone.mjs", url, SHOTS.toAbsolutePath().toString())
                    .directory(NODE.toFile()).redirectError(dir.resolve("node.err").toFile()).start();
            BlockingQueue<String> said = lines(phone);
            try (Writer to = new java.io.OutputStreamWriter(phone.getOutputStream(), StandardCharsets.UTF_8)) {
                expect(said, "paired", phone);
                expect(said, "ready", phone);
                Curl denied = curl(proxy, target);
                assertThat(denied.toString(), denied.status(), is(403));
                to.write("denied " + NAME + ":" + upstreamPort + "\n");
                to.flush();
                assertThat(expect(said, "seen ", phone), notNullValue());
                expect(said, "approved", phone);
                Curl allowed = curl(proxy, target);
                assertThat(allowed.toString(), allowed.status(), is(200));
                assertThat(allowed.body(), is(LoopbackServers.BODY));
                to.write("finish\n");
                to.flush();
                expect(said, "done", phone);
            } finally {
                phone.destroyForcibly();
            }
        }
        Grant grant = Grants.read(dir.resolve("grants.json")).getFirst();
        assertThat(grant.pattern(), is(NAME + ":" + upstreamPort));
        long seconds = Duration.between(Instant.now(), grant.expiresAt()).toSeconds();
        assertThat(seconds, greaterThan(240L));
        assertThat(seconds, lessThan(301L));
        List<AuditEvent> audit = Files.readAllLines(dir.resolve("audit.jsonl")).stream().map(AuditEvent::parse)
                .flatMap(Optional::stream).toList();
        assertThat(audit.stream().map(e -> e.source() + " " + e.verdict().wire() + " " + e.reason()).toList(),
                hasItem("egress deny " + Reasons.NO_RULE_MATCHED));
        assertThat(audit.stream().map(e -> e.source() + " " + e.reason()).toList(),
                hasItem("approval " + Reasons.APPROVED_FOR_A_WHILE));
        assertThat(audit.stream().map(e -> e.source() + " " + e.verdict().wire() + " " + e.reason()).toList(),
                hasItem("egress allow " + Reasons.ALLOWED_BY_GRANT));
        for (String tab : List.of("status", "logs-denied", "agent", "approvals")) {
            for (String theme : List.of("light", "dark")) {
                Path shot = SHOTS.resolve(tab + "-" + theme + ".png");
                assertThat(shot + " saved", Files.size(shot), greaterThan(5000L));
            }
        }
    }

    private Path agentHome() throws IOException {
        Path home = dir.resolve("agent-home");
        Path sessions = Files.createDirectories(home.resolve(".claude/projects/-home-dev-projects-shop"));
        String session = "0b6d2c8e-4f1a-4c3e-9a57-2d8c1e5f7a90";
        Files.writeString(sessions.resolve(session + ".jsonl"),
                String.join("\n", TimelineTest.fixture("-home-dev-projects-shop/" + session + ".jsonl")) + "\n");
        return home;
    }

    private static CapsuleSource agentSource(CapsuleRef capsule, Path home) {
        return new CapsuleSource() {
            @Override
            public List<CapsuleRef> capsules() {
                return List.of(capsule);
            }

            @Override
            public Optional<AgentShell> shell(CapsuleRef c) {
                return Optional.of(new LocalShell(home));
            }

            @Override
            public List<String> sessionRoots(CapsuleRef c) {
                return List.of(home.resolve(".claude/projects").toString());
            }
        };
    }

    private String expect(BlockingQueue<String> said, String prefix, Process phone) throws Exception {
        while (true) {
            String line = said.poll(60, TimeUnit.SECONDS);
            if (line == null || line.startsWith("error ")) {
                throw new AssertionError("the phone said " + line + " while we waited for '" + prefix + "'; node: "
                        + Files.readString(dir.resolve("node.err")) + " alive=" + phone.isAlive());
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    private static BlockingQueue<String> lines(Process process) {
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    queue.add(line);
                }
            } catch (IOException e) {
                // ended
            }
        });
        return queue;
    }

    /** A real HTTP client through the sidecar's egress proxy. */
    private Curl curl(int proxy, String url) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("curl", "-sS", "--max-time", "10", "--noproxy", "",
                "-x", "http://127.0.0.1:" + proxy, "-w", "\n%{http_code}", url);
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin");
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(15, TimeUnit.SECONDS);
        int cut = out.lastIndexOf('\n');
        return new Curl(Integer.parseInt(out.substring(cut + 1).strip()), out.substring(0, Math.max(cut, 0)));
    }

    record Curl(int status, String body) {
    }
}
