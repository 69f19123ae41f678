package kap.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import kap.testing.Eventually;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/**
 * The capsule end to end, with the linked {@code kap} CLI against a real Docker engine: {@code kap init --yes},
 * {@code kap up}, then from {@code kap exec} an allowed name works, a denied one gets 403 and NXDOMAIN, every way
 * around the sidecar fails, {@code kap why-denied} shows the denials with suggestions, {@code kap status} is green,
 * an edit of kap.toml applies without a restart, and {@code kap down} leaves nothing behind. The only servers
 * reached are the ones {@link TestWorld} starts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class CapsuleEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Path work;
    private Path project;
    private TestWorld world;
    private Map<String, String> env;
    private String capsule;
    private String sandboxIp;
    private String externalIp;
    private List<String> sidecarImagesBefore;
    private java.nio.channels.ServerSocketChannel agentSocket;

    @BeforeAll
    void upTheCapsule() throws IOException {
        assertThat("the linked CLI image (built by mvn package in jlink/)", Files.isExecutable(kap()), is(true));
        assertThat("a Docker engine answers (scripts/test-prereqs.sh starts one)", Proc.docker("info").code(),
                is(0));
        sidecarImagesBefore = sidecarImages();
        work = Files.createTempDirectory("kap-e2e");
        project = Files.createDirectories(work.resolve("e2eproj"));
        env = new HashMap<>();
        env.put("KAP_HOME", work.resolve("home").toString());
        env.put("PATH", kap().getParent() + ":" + System.getenv("PATH"));
        // a stand-in for the host's SSH agent: a listening Unix socket that kap up forwards (ssh_agent defaults on)
        Path agent = work.resolve("agent.sock");
        agentSocket = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)
                .bind(java.net.UnixDomainSocketAddress.of(agent));
        env.put("SSH_AUTH_SOCK", agent.toString());
        world = new TestWorld(work);
        world.start();
        Files.createDirectories(project.resolve(".devcontainer"));
        Files.writeString(project.resolve(".devcontainer/devcontainer.json"), """
                // the test's devcontainer: JSONC, image mode, converted by kap init
                {
                  "name": "e2eproj",
                  "image": "%s", // busybox, built by the test
                  /* a comment with // and ,} inside */
                  "remoteUser": "root",
                }
                """.formatted(world.appImage));
        Proc.Result init = kap("init", "--yes");
        assertThat(init.toString(), init.code(), is(0));
        writeConfig(List.of(TestWorld.ALLOWED));
        Proc.Result up = kap("up");
        assertThat(up.toString(), up.code(), is(0));
        capsule = capsuleId();
        sandboxIp = label(capsule + "-sidecar", "dev.kap.sandbox_ip");
        externalIp = label(capsule + "-sidecar", "dev.kap.external_ip");
        world.connect(capsule + "-sidecar");
    }

    @AfterAll
    void cleanUp() throws IOException {
        if (capsule != null) {
            kap("down");
            for (String id : Proc.docker("ps", "-aq", "--filter", "label=dev.kap.capsule=" + capsule).out()
                    .split("\\s+")) {
                if (!id.isBlank()) {
                    Proc.docker("rm", "-f", id);
                }
            }
            for (String n : Proc.docker("network", "ls", "-q", "--filter", "label=dev.kap.capsule=" + capsule).out()
                    .split("\\s+")) {
                if (!n.isBlank()) {
                    Proc.docker("network", "rm", n);
                }
            }
            Proc.docker("volume", "rm", "-f", capsule + "-shims");
        }
        if (world != null) {
            for (String id : lines(Proc.docker("ps", "-aq", "--filter", "label=" + TestWorld.LABEL + "=" + world.run)
                    .out())) {
                Proc.docker("rm", "-f", id);
            }
            for (String id : lines(Proc.docker("ps", "-aq", "--filter", "label=dev.kap.project=e2ehandover").out())) {
                Proc.docker("rm", "-f", id);
            }
            Proc.docker("network", "rm", "e2ehandover_devcontainer_default");
            world.close();
        }
        if (agentSocket != null) {
            agentSocket.close();
        }
        if (sidecarImagesBefore != null) {
            for (String image : sidecarImages()) {
                if (!sidecarImagesBefore.contains(image)) {
                    Proc.docker("rmi", "-f", image);
                }
            }
        }
        if (work != null) {
            Proc.run(List.of("rm", "-rf", work.toString()), null, Map.of(), Duration.ofMinutes(1));
        }
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    static Path kap() {
        return Path.of(System.getProperty("kap.images", "../jlink/target/images"), "cli", "bin", "kap")
                .toAbsolutePath().normalize();
    }

    Proc.Result kap(String... args) {
        List<String> command = new ArrayList<>(List.of(kap().toString()));
        command.addAll(List.of(args));
        return Proc.run(command, project, env, Duration.ofMinutes(5));
    }

    /** {@code kap exec -- sh -c SCRIPT}. */
    Proc.Result sh(String script) {
        return kap("exec", "--", "sh", "-c", script);
    }

    void writeConfig(List<String> allow) throws IOException {
        String rules = String.join(", ", allow.stream().map(a -> "\"" + a + "\"").toList());
        Files.writeString(project.resolve(".devcontainer/kap.toml"), """
                # the e2e test's policy: the test's DNS server, and the test upstream opened as a private address
                [proxy]
                dns_upstream = "%s"
                [proxy.network]
                allow = [%s]
                unsafe_allow_cidrs = ["%s/32"]
                """.formatted(world.dnsIp(), rules, world.upstreamIp()));
    }

    private String capsuleId() throws IOException {
        Proc.Result list = kap("list", "--json");
        for (JsonNode c : JSON.readTree(list.out())) {
            if (c.path("project_dir").asText().equals(project.toRealPath().toString())) {
                return c.path("id").asText();
            }
        }
        throw new AssertionError("kap list does not show the capsule: " + list);
    }

    private static String label(String container, String label) {
        return Proc.dockerOk("inspect", "-f", "{{index .Config.Labels \"" + label + "\"}}", container);
    }

    private static List<String> sidecarImages() {
        return List.of(Proc.docker("images", "-q", "--filter", "reference=kap-sidecar").out().split("\\s+")).stream()
                .filter(s -> !s.isBlank()).toList();
    }

    private List<JsonNode> denials() throws IOException {
        Proc.Result r = kap("why-denied", "--json");
        assertThat(r.toString(), r.code(), is(0));
        List<JsonNode> events = new ArrayList<>();
        for (String line : r.out().lines().toList()) {
            events.add(JSON.readTree(line));
        }
        return events;
    }

    private static List<String> subjects(List<JsonNode> events) {
        return events.stream().map(e -> e.path("source").asText() + " " + e.path("subject").asText()).toList();
    }

    // --- the capsule --------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void initConvertedTheJsoncDevcontainerKeepingTheUsersSettings() throws IOException {
        String json = Files.readString(project.resolve(".devcontainer/devcontainer.json"));
        assertThat(json, containsString("/* a comment with // and ,} inside */"));
        assertThat(json, containsString("\"remoteUser\": \"root\","));
        assertThat(json, containsString("\"dockerComposeFile\": [\"docker-compose.yml\", \"docker-compose.kap.yml\"]"));
        assertThat(json, not(containsString("\"image\"")));
        assertThat(Files.readString(project.resolve(".devcontainer/docker-compose.yml")),
                containsString("image: " + world.appImage));
        assertThat(Files.readString(project.resolve(".gitignore")),
                containsString(".devcontainer/docker-compose.kap.yml"));
    }

    @Test
    @Order(2)
    void anAllowedNameResolvesThroughTheSidecarAndIsServedThroughTheProxy() {
        Proc.Result dns = sh("nslookup " + TestWorld.ALLOWED);
        assertThat(dns.toString(), dns.out(), containsString(world.upstreamIp()));
        Proc.Result http = sh("timeout 10 wget -q -O - http://" + TestWorld.ALLOWED + "/");
        assertThat(http.toString(), http.code(), is(0));
        assertThat(http.out(), containsString(TestWorld.PAGE));
        // a CONNECT to the allowed name is let through (what HTTPS clients send); cleartext HTTP inside a tunnel is
        // refused by the egress proxy by design (docs/EGRESS.md), so the tunnel is only opened here
        Proc.Result tunnel = sh("printf 'CONNECT " + TestWorld.ALLOWED + ":80 HTTP/1.1\\r\\nHost: " + TestWorld.ALLOWED
                + ":80\\r\\n\\r\\n' | nc -w 3 " + sandboxIp + " 3128");
        assertThat(tunnel.toString(), tunnel.out(), containsString("HTTP/1.1 200 "));
        Proc.Result deniedTunnel = sh("printf 'CONNECT " + TestWorld.DENIED + ":443 HTTP/1.1\\r\\nHost: "
                + TestWorld.DENIED + ":443\\r\\n\\r\\n' | nc -w 3 " + sandboxIp + " 3128");
        assertThat(deniedTunnel.toString(), deniedTunnel.out(), containsString("HTTP/1.1 403 "));
    }

    @Test
    @Order(3)
    void aDeniedNameGets403FromTheProxyAndNxdomainFromDns() throws IOException {
        Proc.Result http = sh("timeout 10 wget -S -O /dev/null http://" + TestWorld.DENIED + "/ 2>&1");
        assertThat(http.toString(), http.code(), not(is(0)));
        assertThat(http.out(), containsString("403"));
        Proc.Result dns = sh("nslookup " + TestWorld.DENIED);
        assertThat(dns.toString(), dns.code(), not(is(0)));
        assertThat(dns.out(), containsString("NXDOMAIN"));
        assertThat(dns.out(), not(containsString(world.upstreamIp())));
        List<String> denied = subjects(denials());
        assertThat(denied, hasItem("egress " + TestWorld.DENIED + ":80"));
        assertThat(denied, hasItem("dns " + TestWorld.DENIED + " A"));
    }

    @Test
    @Order(4)
    void directTcpToTheUpstreamsAddressFails() {
        Proc.Result r = sh("nc -w 3 " + world.upstreamIp() + " 80 </dev/null");
        assertThat(r.toString(), r.code(), not(is(0)));
        Proc.Result viaWget = sh("env -u http_proxy -u HTTP_PROXY timeout 5 wget -q -O - http://" + world.upstreamIp()
                + "/");
        assertThat(viaWget.toString(), viaWget.code(), not(is(0)));
        assertThat(viaWget.out(), not(containsString(TestWorld.PAGE)));
    }

    @Test
    @Order(5)
    void dnsToAnyServerButTheSidecarFailsOverUdpAndTcp() {
        Proc.Result udp = sh("nslookup " + TestWorld.ALLOWED + " " + world.dnsIp());
        assertThat(udp.toString(), udp.code(), not(is(0)));
        assertThat(udp.out(), not(containsString(world.upstreamIp())));
        Proc.Result tcp = sh("nc -w 3 " + world.dnsIp() + " 53 </dev/null");
        assertThat(tcp.toString(), tcp.code(), not(is(0)));
        // Docker's embedded resolver in the app forwards only to the sidecar, so the policy still applies there
        Proc.Result embedded = sh("nslookup " + TestWorld.DENIED + " 127.0.0.11");
        assertThat(embedded.toString(), embedded.out(), not(containsString(world.upstreamIp())));
    }

    @Test
    @Order(6)
    void unsettingTheProxyEnvironmentGetsNowhere() {
        Proc.Result r = sh("env -u http_proxy -u HTTP_PROXY -u https_proxy -u HTTPS_PROXY timeout 5 wget -q -O - http://"
                + TestWorld.ALLOWED + "/");
        assertThat(r.toString(), r.code(), not(is(0)));
        assertThat(r.out(), not(containsString(TestWorld.PAGE)));
    }

    @Test
    @Order(7)
    void ipv6IsOffAndHasNoRoute() {
        Proc.Result r = sh("nc -w 3 2001:db8::1 80 </dev/null");
        assertThat(r.toString(), r.code(), not(is(0)));
        assertThat(sh("cat /proc/sys/net/ipv6/conf/all/disable_ipv6").out().strip(), equalTo("1"));
    }

    @Test
    @Order(8)
    void theSidecarsAdminPortIsUnreachable() {
        Proc.Result sandbox = sh("nc -w 3 " + sandboxIp + " 3131 </dev/null");
        assertThat(sandbox.toString(), sandbox.code(), not(is(0)));
        Proc.Result external = sh("nc -w 3 " + externalIp + " 3131 </dev/null");
        assertThat(external.toString(), external.code(), not(is(0)));
        Proc.Result viaProxy = sh("timeout 10 wget -S -O - http://" + externalIp + ":3131/health 2>&1");
        assertThat(viaProxy.toString(), viaProxy.out(), not(containsString("\"status\"")));
        assertThat(viaProxy.out(), containsString("403"));
    }

    @Test
    @Order(9)
    void theMetadataAddressIsNeverReached() throws IOException {
        Proc.Result direct = sh("nc -w 3 169.254.169.254 80 </dev/null");
        assertThat(direct.toString(), direct.code(), not(is(0)));
        Proc.Result viaProxy = sh("timeout 10 wget -S -O /dev/null http://169.254.169.254/latest/meta-data/ 2>&1");
        assertThat(viaProxy.toString(), viaProxy.out(), containsString("403"));
        assertThat(subjects(denials()), hasItem("egress 169.254.169.254:80"));
    }

    @Test
    @Order(10)
    void theHostIsNotOnTheSandboxNetwork() {
        String gateway = sandboxIp.substring(0, sandboxIp.lastIndexOf('.')) + ".1";
        Proc.Result r = sh("nc -w 3 " + gateway + " 22 </dev/null");
        assertThat(r.toString(), r.code(), not(is(0)));
    }

    @Test
    @Order(11)
    void theCapsuleCannotWriteThePolicyTheSidecarReads() throws IOException {
        String before = Files.readString(project.resolve(".devcontainer/kap.toml"));
        Proc.Result r = sh("echo 'allow = [\"*.evil.test\"]' >> .devcontainer/kap.toml");
        assertThat(r.toString(), r.code(), not(is(0)));
        assertThat(r.err(), containsString("Read-only file system"));
        assertThat(Files.readString(project.resolve(".devcontainer/kap.toml")), equalTo(before));
        Proc.Result replace = sh("rm -f .devcontainer/kap.toml");
        assertThat(replace.toString(), replace.code(), not(is(0)));
    }

    @Test
    @Order(12)
    void whyDeniedShowsEachDenialWithASuggestedLine() throws IOException {
        JsonNode egress = denials().stream().filter(e -> e.path("subject").asText().equals(TestWorld.DENIED + ":80"))
                .findFirst().orElseThrow();
        assertThat(egress.path("suggestion").asText(),
                equalTo("[proxy.network] allow = [\"" + TestWorld.DENIED + "\"]"));
        Proc.Result text = kap("why-denied");
        assertThat(text.out(), containsString(TestWorld.DENIED + ":80  DENIED (no rule matched)"));
        assertThat(text.out(), containsString("to allow: [proxy.network] allow = [\"" + TestWorld.DENIED + "\"]"));
    }

    @Test
    @Order(13)
    void statusIsGreen() throws IOException {
        Proc.Result r = kap("status", "--json");
        assertThat(r.toString(), r.code(), is(0));
        JsonNode status = JSON.readTree(r.out());
        assertThat(status.path("ok").asBoolean(), is(true));
        assertThat(status.path("health").path("status").asText(), equalTo("ok"));
        assertThat(status.path("probes").size() >= 6, is(true));
        status.path("probes").forEach(p -> assertThat(p.toString(), p.path("passed").asBoolean(), is(true)));
        Proc.Result text = kap("status");
        assertThat(text.out(), containsString("all checks passed"));
        assertThat("NO_COLOR output has no escape codes", text.out(), not(containsString("\u001b[")));
    }

    @Test
    @Order(14)
    void theHostsSshAgentIsForwardedAndTheSidecarRunsUnprivileged() {
        Proc.Result agent = sh("test -S /ssh-agent && echo \"$SSH_AUTH_SOCK\"");
        assertThat(agent.toString(), agent.out().strip(), equalTo("/ssh-agent"));
        String sidecar = capsule + "-sidecar";
        assertThat(Proc.dockerOk("inspect", "-f", "{{.Config.User}}", sidecar), equalTo("10001:10001"));
        assertThat(Proc.dockerOk("inspect", "-f", "{{.HostConfig.CapDrop}}", sidecar), containsString("ALL"));
        assertThat(Proc.dockerOk("inspect", "-f", "{{.HostConfig.ReadonlyRootfs}}", sidecar), equalTo("true"));
        assertThat(Proc.dockerOk("inspect", "-f", "{{.HostConfig.CapDrop}}", capsule + "-app"),
                containsString("NET_RAW"));
        assertThat(Proc.dockerOk("inspect", "-f", "{{json .HostConfig.PortBindings}}", sidecar),
                containsString("\"HostIp\":\"127.0.0.1\""));
    }

    @Test
    @Order(15)
    void anEditToKapTomlAppliesWithoutARestart() throws IOException, InterruptedException {
        String startedAt = Proc.dockerOk("inspect", "-f", "{{.State.StartedAt}}", capsule + "-sidecar");
        Proc.Result before = sh("timeout 10 wget -S -O /dev/null http://" + TestWorld.LATER + "/ 2>&1");
        assertThat(before.toString(), before.out(), containsString("403"));
        writeConfig(List.of(TestWorld.ALLOWED, TestWorld.LATER));
        Duration took = Eventually.within(Duration.ofSeconds(20), () -> sh("timeout 5 wget -q -O - http://"
                + TestWorld.LATER + "/").out().contains(TestWorld.PAGE));
        assertThat("the newly allowed name is served within 20 s", took, notNullValue());
        assertThat(Proc.dockerOk("inspect", "-f", "{{.State.StartedAt}}", capsule + "-sidecar"), equalTo(startedAt));
    }

    @Test
    @Order(16)
    void execPassesExitCodesAndGivesAShellATerminal() {
        assertThat(sh("exit 7").code(), is(7));
        Proc.Result piped = Proc.run(List.of("sh", "-c", "echo piped-into-the-capsule | " + kap() + " exec -- cat"),
                project, env, Duration.ofSeconds(30));
        assertThat(piped.toString(), piped.out(), containsString("piped-into-the-capsule"));
        assertThat("the end of the piped input reaches the command", piped.code(), is(0));
        Proc.Result tty = Proc.run(List.of("sh", "-c", "printf 'tty; exit 3\\n' | script -qec '" + kap()
                + " exec' /dev/null"), project, env, Duration.ofMinutes(2));
        assertThat(tty.toString(), tty.out(), containsString("/dev/pts/"));
        assertThat(tty.toString(), tty.code(), is(3));
    }

    @Test
    @Order(17)
    void resetRecreatesTheCapsuleWhichWorksAgain() {
        String before = Proc.dockerOk("inspect", "-f", "{{.Id}}", capsule + "-sidecar");
        Proc.Result up = kap("up", "--reset");
        assertThat(up.toString(), up.code(), is(0));
        assertThat(up.err(), containsString("[reset] removing " + capsule));
        assertThat(Proc.dockerOk("inspect", "-f", "{{.Id}}", capsule + "-sidecar"), not(equalTo(before)));
        world.connect(capsule + "-sidecar");
        Proc.Result http = sh("timeout 10 wget -q -O - http://" + TestWorld.LATER + "/");
        assertThat(http.toString(), http.out(), containsString(TestWorld.PAGE));
    }

    @Test
    @Order(18)
    void listShowsTheCapsuleRunningAndTheRegistryHoldsItsAdminToken() throws IOException {
        Proc.Result r = kap("list", "--json");
        JsonNode c = null;
        for (JsonNode n : JSON.readTree(r.out())) {
            if (n.path("id").asText().equals(capsule)) {
                c = n;
            }
        }
        assertThat(r.toString(), c, notNullValue());
        assertThat(c.path("state").asText(), equalTo("running"));
        assertThat(c.path("admin").asText(), containsString("http://127.0.0.1:"));
        assertThat("kap list prints no secrets", r.out(), not(containsString("admin_token")));
        // the registry gives the remote daemon the sidecar's admin token and the kap.toml the sidecar watches
        JsonNode record = JSON.readTree(work.resolve("home/capsules/" + capsule + ".json").toFile());
        String token = Files.readString(work.resolve("home/projects/" + capsule + "/state/admin-token")).strip();
        assertThat(record.path("admin_token").asText(), equalTo(token));
        assertThat(record.path("config").asText(), equalTo(project.toRealPath().resolve(".devcontainer/kap.toml")
                .toString()));
    }

    @Test
    @Order(19)
    void downLeavesNoContainersOrNetworksAndKeepsTheLog() throws IOException {
        Path log = Path.of(label(capsule + "-sidecar", "dev.kap.audit_log"));
        Proc.Result r = kap("down");
        assertThat(r.toString(), r.code(), is(0));
        assertThat(lines(Proc.docker("ps", "-aq", "--filter", "label=dev.kap.capsule=" + capsule).out()), is(empty()));
        assertThat(lines(Proc.docker("network", "ls", "-q", "--filter", "label=dev.kap.capsule=" + capsule).out()),
                is(empty()));
        assertThat(Files.readString(log, StandardCharsets.UTF_8), containsString(TestWorld.DENIED));
    }

    static List<String> lines(String text) {
        return text.lines().filter(l -> !l.isBlank()).toList();
    }

    // --- the same project through the devcontainer CLI -------------------------------------------------------

    @Test
    @Order(20)
    void devcontainerUpBringsUpTheGeneratedProjectWithTheSameChecks() throws IOException {
        Path cli = Path.of(System.getProperty("kap.e2e.devcontainer", "devcontainer-cli/node_modules/.bin/devcontainer"))
                .toAbsolutePath();
        assertThat("the devcontainer CLI (npm ci in e2e/devcontainer-cli)", Files.isExecutable(cli), is(true));
        Map<String, String> cliEnv = devcontainerEnv();
        Proc.Result up = Proc.run(List.of(cli.toString(), "up", "--workspace-folder", project.toString()), project,
                cliEnv, Duration.ofMinutes(5));
        assertThat(up.err(), not(containsString("Failed to fetch control manifest")));
        assertThat(up.toString(), up.code(), is(0));
        String app = lines(Proc.dockerOk("ps", "-q", "--filter", "label=dev.kap.capsule=" + capsule, "--filter",
                "label=dev.kap.role=app")).getFirst();
        String sidecar = lines(Proc.dockerOk("ps", "-q", "--filter", "label=dev.kap.capsule=" + capsule, "--filter",
                "label=dev.kap.role=sidecar")).getFirst();
        world.connect(sidecar);
        Proc.Result allowed = Proc.docker("exec", app, "timeout", "10", "wget", "-q", "-O", "-",
                "http://" + TestWorld.ALLOWED + "/");
        assertThat(allowed.toString(), allowed.out(), containsString(TestWorld.PAGE));
        Proc.Result denied = Proc.docker("exec", app, "sh", "-c", "timeout 10 wget -S -O /dev/null http://"
                + TestWorld.DENIED + "/ 2>&1");
        assertThat(denied.toString(), denied.out(), containsString("403"));
        Proc.Result nx = Proc.docker("exec", app, "nslookup", TestWorld.DENIED);
        assertThat(nx.toString(), nx.out(), containsString("NXDOMAIN"));
        Proc.Result direct = Proc.docker("exec", app, "nc", "-w", "3", world.upstreamIp(), "80");
        assertThat(direct.toString(), direct.code(), not(is(0)));
        Proc.Result write = Proc.docker("exec", app, "sh", "-c", "echo x >> /workspaces/e2eproj/.devcontainer/kap.toml");
        assertThat(write.toString(), write.code(), not(is(0)));
        Proc.Result status = kap("status", "--json");
        assertThat(status.toString(), status.code(), is(0));
        Proc.Result down = kap("down");
        assertThat(down.toString(), down.code(), is(0));
        assertThat(lines(Proc.docker("ps", "-aq", "--filter", "label=dev.kap.capsule=" + capsule).out()), is(empty()));
    }

    @Test
    @Order(21)
    void upHandsAComposeSetUpItCannotModelToTheDevcontainerCli() throws IOException {
        Path other = Files.createDirectories(work.resolve("e2ehandover/.devcontainer"));
        Files.writeString(other.resolve("devcontainer.json"), "{\"name\": \"e2ehandover\", \"dockerComposeFile\":"
                + " [\"docker-compose.yml\"], \"service\": \"app\", \"workspaceFolder\": \"/workspaces/e2ehandover\"}");
        Files.writeString(other.resolve("docker-compose.yml"), """
                services:
                  app:
                    image: %1$s
                    volumes: ["..:/workspaces/e2ehandover"]
                    command: sleep infinity
                  helper:
                    image: %1$s
                    command: sleep infinity
                    labels: {%2$s: "%3$s"}
                """.formatted(world.appImage, TestWorld.LABEL, world.run));
        Map<String, String> cliEnv = devcontainerEnv();
        Path dir = other.getParent();
        Proc.Result init = Proc.run(List.of(kap().toString(), "init", "--yes"), dir, cliEnv, Duration.ofMinutes(2));
        assertThat(init.toString(), init.code(), is(0));
        Files.writeString(other.resolve("kap.toml"), Files.readString(project.resolve(".devcontainer/kap.toml")));
        Proc.Result up = Proc.run(List.of(kap().toString(), "up"), dir, cliEnv, Duration.ofMinutes(5));
        try {
            assertThat(up.toString(), up.code(), is(0));
            assertThat(up.err(), containsString("the compose files define other services too: helper; handing over"
                    + " to the devcontainer CLI"));
            String app = lines(Proc.dockerOk("ps", "-q", "--filter", "label=dev.kap.project=e2ehandover", "--filter",
                    "label=dev.kap.role=app")).getFirst();
            Proc.Result direct = Proc.docker("exec", app, "nc", "-w", "3", world.upstreamIp(), "80");
            assertThat(direct.toString(), direct.code(), not(is(0)));
            assertThat(Proc.dockerOk("exec", app, "sh", "-c", "echo $HTTP_PROXY"), containsString(":3128"));
        } finally {
            Proc.run(List.of(kap().toString(), "down"), dir, cliEnv, Duration.ofMinutes(2));
        }
    }

    /** The environment for the devcontainer CLI: on PATH, and kept offline (see below). */
    private Map<String, String> devcontainerEnv() throws IOException {
        Path cli = Path.of(System.getProperty("kap.e2e.devcontainer", "devcontainer-cli/node_modules/.bin/devcontainer"))
                .toAbsolutePath();
        // the CLI fetches a "control manifest" from the internet unless its cache holds one younger than five
        // minutes; an empty one keeps it off the network (its cache is $TMPDIR/devcontainercli-<user>)
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        Path cache = Files.createDirectories(tmp.resolve("devcontainercli-" + System.getProperty("user.name")));
        Files.writeString(cache.resolve("control-manifest.json"), "{\"disallowedFeatures\":[],\"featureAdvisories\":[]}");
        Map<String, String> cliEnv = new HashMap<>(env);
        cliEnv.put("TMPDIR", tmp.toString());
        cliEnv.put("PATH", cli.getParent() + ":" + env.get("PATH"));
        return cliEnv;
    }
}
