package kap.shim;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real OpenSSH server for one test: loopback only, on a free port, with a temporary host key and authorized key,
 * its own config file ({@code -f}), no PAM, in the foreground ({@code -D -e}). Stopped by {@link #close()}.
 */
final class LocalSshd implements AutoCloseable {

    private final Process process;
    final int port;
    final Path clientKey;
    final Path log;

    private LocalSshd(Process process, int port, Path clientKey, Path log) {
        this.process = process;
        this.port = port;
        this.clientKey = clientKey;
        this.log = log;
    }

    static LocalSshd start(Path dir) throws IOException, InterruptedException {
        Path sshd = Path.of("/usr/sbin/sshd");
        if (!Files.isExecutable(sshd)) {
            throw new IllegalStateException("/usr/sbin/sshd is missing: run scripts/test-prereqs.sh");
        }
        if (!Files.isDirectory(Path.of("/run/sshd")) && "root".equals(System.getProperty("user.name"))) {
            // OpenSSH's privilege separation directory; a container without an sshd service lacks it
            Files.createDirectories(Path.of("/run/sshd"));
        }
        Path hostKey = dir.resolve("host_ed25519");
        Path clientKey = dir.resolve("client_ed25519");
        Processes.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey.toString()));
        Processes.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", clientKey.toString()));
        Path authorized = dir.resolve("authorized_keys");
        Files.copy(dir.resolve("client_ed25519.pub"), authorized);
        for (int attempt = 0; attempt < 3; attempt++) {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            Path config = dir.resolve("sshd_config");
            Files.writeString(config, String.join("\n",
                    "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + hostKey, "PidFile " + dir.resolve("pid"),
                    "AuthorizedKeysFile " + authorized, "UsePAM no", "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no", "PubkeyAuthentication yes", "PermitRootLogin prohibit-password",
                    "StrictModes no", "AllowTcpForwarding no", "X11Forwarding no", "PrintMotd no", "") + "\n");
            Path log = dir.resolve("sshd.log");
            Process p = new ProcessBuilder(sshd.toString(), "-D", "-e", "-f", config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (awaitPort(port, p)) {
                return new LocalSshd(p, port, clientKey, log);
            }
            p.destroyForcibly().waitFor();
        }
        throw new IllegalStateException("sshd did not start; see " + dir.resolve("sshd.log"));
    }

    private static boolean awaitPort(int port, Process p) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && p.isAlive()) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return true;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        return false;
    }

    /**
     * The ssh options that make a client use this server, the client key, and a ProxyCommand.
     *
     * @param proxyCommand the ProxyCommand
     * @return options for ssh
     */
    List<String> sshOptions(String proxyCommand) {
        return List.of("-F", "/dev/null", "-i", clientKey.toString(), "-o", "IdentitiesOnly=yes", "-o",
                "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o",
                "LogLevel=ERROR", "-o", "ProxyCommand=" + proxyCommand, "-p", String.valueOf(port));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
