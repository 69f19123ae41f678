package kap.runtime.namespace;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import kap.testing.Eventually;

/**
 * A real dnsmasq on a free loopback port: the sidecar's DNS upstream in tests. It serves only the records it is given
 * (no upstream of its own, no /etc files) and logs every query, so a test can tell whether a name reached it.
 */
final class Dnsmasq implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private Dnsmasq(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static Dnsmasq start(Path dir, String... records) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort();
            Path log = dir.resolve("dnsmasq-" + port + ".log");
            List<String> command = new ArrayList<>(List.of("dnsmasq", "--no-daemon", "--conf-file=/dev/null",
                    "--no-resolv", "--no-hosts", "--port=" + port, "--listen-address=127.0.0.1", "--bind-interfaces",
                    "--log-queries", "--log-facility=" + log, "--pid-file=" + dir.resolve("dnsmasq-" + port + ".pid"),
                    "--user=root", "--group=root", "--cache-size=0"));
            command.addAll(List.of(records));
            Process process = Commands.background(dir.resolve("dnsmasq-" + port + ".out"),
                    command.toArray(String[]::new));
            Dnsmasq server = new Dnsmasq(process, port, log);
            if (Eventually.within(Duration.ofSeconds(5), server::answers) != null) {
                return server;
            }
            server.close();
            last = new IOException("dnsmasq did not start on port " + port + ": "
                    + Files.readString(dir.resolve("dnsmasq-" + port + ".out")));
        }
        throw last;
    }

    int port() {
        return port;
    }

    /** How many queries for this name dnsmasq has logged. */
    long queries(String name) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("query[") && l.contains("] " + name + " from ")).count();
        }
    }

    private boolean answers() {
        try {
            Commands.run("dig", "@127.0.0.1", "-p", Integer.toString(port), "+time=1", "+tries=1", "kap-probe.invalid");
            return true;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Override
    public void close() {
        Commands.stop(process);
    }

    private static int freePort() throws IOException {
        for (int i = 0; i < 20; i++) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                try (ServerSocket tcp = new ServerSocket(udp.getLocalPort(), 1, InetAddress.getLoopbackAddress())) {
                    return tcp.getLocalPort();
                } catch (IOException e) {
                    // taken for TCP: try another
                }
            }
        }
        throw new IOException("no free port");
    }
}
