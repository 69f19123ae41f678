package kap.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real dnsmasq on a free loopback port, the DNS upstream of the tests: it serves only the records it is given (no
 * upstream of its own, no /etc files, a TTL of 300 s) and logs every query to a file, so a test can count what
 * reached it.
 */
public final class Dnsmasq implements AutoCloseable {

    /** A query for {@code kap-probe.invalid. A IN}: any answer means dnsmasq is up. */
    private static final byte[] PROBE = {0x4b, 0x50, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
            9, 'k', 'a', 'p', '-', 'p', 'r', 'o', 'b', 'e', 7, 'i', 'n', 'v', 'a', 'l', 'i', 'd', 0, 0, 1, 0, 1};

    private final Process process;
    private final int port;
    private final Path log;

    private Dnsmasq(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts dnsmasq with extra options such as {@code --address=/allowed.test/1.2.3.4}.
     *
     * @param dir a temporary directory for its log, output and pid file
     * @param options extra options
     * @return the running server
     * @throws IOException if it does not come up within a few tries
     * @throws InterruptedException if interrupted while waiting for it
     */
    public static Dnsmasq start(Path dir, String... options) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort();
            Path log = dir.resolve("dnsmasq-" + port + ".log");
            Path out = dir.resolve("dnsmasq-" + port + ".out");
            List<String> command = new ArrayList<>(List.of("dnsmasq", "--no-daemon", "--conf-file=/dev/null",
                    "--no-resolv", "--no-hosts", "--port=" + port, "--listen-address=127.0.0.1", "--bind-interfaces",
                    "--log-queries", "--log-facility=" + log, "--pid-file=" + dir.resolve("dnsmasq-" + port + ".pid"),
                    "--user=root", "--group=root", "--local-ttl=300", "--cache-size=0"));
            command.addAll(List.of(options));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            Dnsmasq server = new Dnsmasq(process, port, log);
            if (server.awaitReady(Duration.ofSeconds(5))) {
                return server;
            }
            server.close();
            last = new IOException("dnsmasq did not start on port " + port + ": " + Files.readString(out));
        }
        throw last;
    }

    /** @return the port it answers on, UDP and TCP, at 127.0.0.1 */
    public int port() {
        return port;
    }

    /**
     * How many queries for this name (any type) dnsmasq has logged.
     *
     * @param name the name, lower case
     * @return count
     * @throws IOException if the log cannot be read
     */
    public long queries(String name) throws IOException {
        return count("] " + name + " from ");
    }

    /**
     * How many queries for names below this suffix dnsmasq has logged.
     *
     * @param suffix such as {@code zone.test}
     * @return count
     * @throws IOException if the log cannot be read
     */
    public long queriesUnder(String suffix) throws IOException {
        return count("." + suffix + " from ");
    }

    private long count(String marker) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("query[") && l.contains(marker)).count();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private boolean awaitReady(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (DatagramSocket socket = new DatagramSocket()) {
                socket.setSoTimeout(200);
                socket.send(new DatagramPacket(PROBE, PROBE.length, target));
                socket.receive(new DatagramPacket(new byte[512], 512));
                return true;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        return false;
    }

    /**
     * A loopback port free for both UDP and TCP right now.
     *
     * @return the port
     * @throws IOException if none was found in a few tries
     */
    public static int freePort() throws IOException {
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
