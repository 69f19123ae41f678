package kap.dns;

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
import java.util.concurrent.TimeUnit;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

import kap.policy.Endpoint;

/**
 * A real dnsmasq on a free loopback port, serving only local records (no upstream, no /etc files), logging every
 * query to a file so tests can count what reached it.
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

    /**
     * Starts dnsmasq with extra options such as {@code --address=/allowed.test/1.2.3.4}.
     *
     * @param dir a temporary directory for its log and pid file
     * @param options extra options
     * @return the running server
     * @throws IOException if it does not come up within a few tries
     */
    static Dnsmasq start(Path dir, String... options) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort();
            Path log = dir.resolve("dnsmasq-" + port + ".log");
            List<String> command = new ArrayList<>(List.of("dnsmasq", "--no-daemon", "--conf-file=/dev/null",
                    "--no-resolv", "--no-hosts", "--port=" + port, "--listen-address=127.0.0.1", "--bind-interfaces",
                    "--log-queries", "--log-facility=" + log, "--pid-file=" + dir.resolve("dnsmasq-" + port + ".pid"),
                    "--user=root", "--group=root", "--local-ttl=300", "--cache-size=0"));
            command.addAll(List.of(options));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("dnsmasq-" + port + ".out").toFile()).start();
            Dnsmasq server = new Dnsmasq(process, port, log);
            if (server.awaitReady(Duration.ofSeconds(5))) {
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

    Endpoint endpoint() {
        return new Endpoint(InetAddress.getLoopbackAddress(), port);
    }

    /**
     * How many queries for this name (any type) dnsmasq has logged.
     *
     * @param name the name, lower case
     * @return count
     */
    long queries(String name) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("query[") && l.contains("] " + name + " from ")).count();
        }
    }

    /**
     * How many queries for names below this suffix dnsmasq has logged.
     *
     * @param suffix such as {@code zone.test}
     * @return count
     */
    long queriesUnder(String suffix) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("query[") && l.contains("." + suffix + " from ")).count();
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
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                Message probe = Message.newQuery(Record.newRecord(Name.fromConstantString("kap-probe.invalid."),
                        Type.A, DClass.IN));
                UpstreamExchange.udp(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), probe,
                        System.nanoTime() + 200_000_000L);
                return true;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        return false;
    }

    /** A port free for both UDP and TCP right now. */
    static int freePort() throws IOException {
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
