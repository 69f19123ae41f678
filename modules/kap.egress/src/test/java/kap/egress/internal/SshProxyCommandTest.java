package kap.egress.internal;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import kap.policy.AuditEvent;

/**
 * git over SSH through the proxy, as an agent does it: a real sshd on a loopback port, and real ssh and git with a
 * ProxyCommand (socat) that opens a CONNECT tunnel. SSH's server speaks first, so this also proves the tunnel does
 * not wait for the client. As root without /run/sshd, sshd runs under bubblewrap with a private /run.
 */
@Timeout(120)
class SshProxyCommandTest {

    @TempDir
    static Path dir;

    private static Process sshd;
    private static int sshdPort;
    private static EgressFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/sshd")), "sshd is not installed");
        Assumptions.assumeTrue(onPath("ssh") && onPath("socat") && onPath("git"), "ssh, socat or git missing");
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("host_key").toString()));
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("id").toString()));
        Files.copy(dir.resolve("id.pub"), dir.resolve("authorized_keys"));
        sshdPort = freePort();
        Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + sshdPort, "ListenAddress 127.0.0.1", "HostKey " + dir.resolve("host_key"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"), "PidFile " + dir.resolve("sshd.pid"),
                "UsePAM no", "StrictModes no", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes", "PermitRootLogin prohibit-password", "LogLevel ERROR", ""));
        List<String> command = new ArrayList<>(List.of("/usr/sbin/sshd", "-D", "-e", "-f",
                dir.resolve("sshd_config").toString()));
        if ("root".equals(System.getProperty("user.name")) && !Files.isDirectory(Path.of("/run/sshd"))) {
            Assumptions.assumeTrue(onPath("bwrap"), "sshd as root needs /run/sshd or bubblewrap");
            command.addAll(0, List.of("bwrap", "--dev-bind", "/", "/", "--tmpfs", "/run", "--dir", "/run/sshd",
                    "--die-with-parent", "--"));
        }
        sshd = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sshd.log").toFile()).start();
        Assumptions.assumeTrue(awaitListening(sshdPort), () -> "sshd did not start: " + log());
        proxy = EgressFixture.builder().allow("git.test:" + sshdPort).unsafe("127.0.0.0/8")
                .name("git.test", "127.0.0.1").start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (sshd != null) {
            sshd.destroy();
            sshd.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void sshRunsACommandThroughTheTunnel() throws Exception {
        Result result = run(List.of("ssh", "-F", "/dev/null", "-i", dir.resolve("id").toString(), "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=10",
                "-o", "ProxyCommand=" + proxyCommand(), "-p", String.valueOf(sshdPort),
                System.getProperty("user.name") + "@git.test", "echo", "kap-ssh-ok"));
        assertThat(result.output(), result.exitCode(), is(0));
        assertThat(result.output(), containsString("kap-ssh-ok"));
        AuditEvent event = proxy.awaitEvent("git.test:" + sshdPort);
        assertThat(event.verdict(), is(AuditEvent.Outcome.ALLOW));
        assertThat(ConnectTunnelTest.number(event, "bytes_down"), greaterThan(0L));
    }

    @Test
    void gitClonesOverSshThroughTheTunnel() throws Exception {
        Path origin = dir.resolve("origin");
        run(List.of("git", "init", "-q", "-b", "main", origin.toString()));
        Files.writeString(origin.resolve("README"), "through kap\n");
        run(List.of("git", "-C", origin.toString(), "add", "README"));
        run(List.of("git", "-C", origin.toString(), "-c", "user.name=kap", "-c", "user.email=kap@test", "commit", "-q",
                "-m", "first"));
        Path clone = dir.resolve("clone");
        String ssh = "ssh -F /dev/null -i " + dir.resolve("id") + " -o BatchMode=yes -o StrictHostKeyChecking=no"
                + " -o UserKnownHostsFile=/dev/null -o 'ProxyCommand=" + proxyCommand() + "'";
        Result result = run(List.of("git", "clone", "-q", "ssh://" + System.getProperty("user.name") + "@git.test:"
                + sshdPort + origin, clone.toString()), Map.of("GIT_SSH_COMMAND", ssh));
        assertThat(result.output(), result.exitCode(), is(0));
        assertThat(Files.readString(clone.resolve("README")), is("through kap\n"));
    }

    @Test
    void sshRunsThroughKapsOwnConnectBridge() throws Exception {
        // the capsule's ProxyCommand: kap.shim's bridge, which needs nothing but a Java runtime and HTTPS_PROXY
        Path shim = Path.of(Class.forName("kap.shim.ConnectBridge").getProtectionDomain().getCodeSource()
                .getLocation().toURI());
        String bridge = Path.of(System.getProperty("java.home"), "bin", "java") + " -cp " + shim
                + " kap.shim.ConnectBridge %h %p";
        Result result = run(List.of("ssh", "-F", "/dev/null", "-i", dir.resolve("id").toString(), "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=20",
                "-o", "ProxyCommand=" + bridge, "-p", String.valueOf(sshdPort),
                System.getProperty("user.name") + "@git.test", "echo", "kap-bridge-ok"),
                Map.of("HTTPS_PROXY", "http://127.0.0.1:" + proxy.port()));
        assertThat(result.output(), result.exitCode(), is(0));
        assertThat(result.output(), containsString("kap-bridge-ok"));
        AuditEvent event = proxy.awaitEvent("git.test:" + sshdPort);
        assertThat(event.verdict(), is(AuditEvent.Outcome.ALLOW));
    }

    private static String proxyCommand() {
        return "socat - PROXY:127.0.0.1:%h:%p,proxyport=" + proxy.port();
    }

    record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command) throws Exception {
        return run(command, Map.of());
    }

    private static Result run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        return new Result(p.exitValue(), output);
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean awaitListening(int port) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException e) {
                EgressFixture.sleep(50);
            }
        }
        return false;
    }

    private static String log() {
        try {
            return Files.readString(dir.resolve("sshd.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
