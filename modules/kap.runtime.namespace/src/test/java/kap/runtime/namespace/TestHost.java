package kap.runtime.namespace;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import kap.testing.Eventually;

/**
 * A host the capsule must not reach: a network namespace this test creates (root only), joined to this machine by a
 * veth pair, with addresses the test picks from the benchmarking range 198.18.0.0/15 and a ULA /64, a TCP listener
 * that answers {@code test-host} on port 8080 (IPv4 and IPv6), and a DNS server on UDP and TCP port 53 that answers
 * every name with 203.0.113.7. From this machine it is reachable; {@link #reachableFromHere()} proves it before a
 * test asserts that the capsule cannot reach it.
 */
final class TestHost implements AutoCloseable {

    static final int PORT = 8080;

    private final String namespace;
    private final String hostSide;
    private final String address;
    private final String address6;
    private Process tcp;
    private Process tcp6;
    private Process dns;

    private TestHost(String namespace, String hostSide, String address, String address6) {
        this.namespace = namespace;
        this.hostSide = hostSide;
        this.address = address;
        this.address6 = address6;
    }

    static TestHost start(Path logs) throws IOException, InterruptedException {
        int n = ThreadLocalRandom.current().nextInt(1, 250);
        int m = ThreadLocalRandom.current().nextInt(0, 63) * 4;
        String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
        TestHost host = new TestHost("kapt-" + tag, "kvh" + tag, "198.18." + n + "." + (m + 2),
                "fd6b:6170:" + tag.substring(0, 4) + "::2");
        try {
            host.create(n, m, tag);
            host.serve(logs);
            return host;
        } catch (IOException | InterruptedException | RuntimeException e) {
            host.close();
            throw e;
        }
    }

    private void create(int n, int m, String tag) throws IOException, InterruptedException {
        String inner = "kvn" + tag;
        String prefix6 = "fd6b:6170:" + tag.substring(0, 4) + "::";
        Commands.run("ip", "netns", "add", namespace);
        Commands.run("ip", "link", "add", hostSide, "type", "veth", "peer", "name", inner);
        Commands.run("ip", "link", "set", inner, "netns", namespace);
        Commands.run("ip", "addr", "add", "198.18." + n + "." + (m + 1) + "/30", "dev", hostSide);
        Commands.run("ip", "-6", "addr", "add", prefix6 + "1/64", "dev", hostSide, "nodad");
        Commands.run("ip", "link", "set", hostSide, "up");
        Commands.run("ip", "netns", "exec", namespace, "ip", "addr", "add", address + "/30", "dev", inner);
        Commands.run("ip", "netns", "exec", namespace, "ip", "-6", "addr", "add", address6 + "/64", "dev", inner,
                "nodad");
        Commands.run("ip", "netns", "exec", namespace, "ip", "link", "set", inner, "up");
        Commands.run("ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up");
    }

    private void serve(Path logs) throws IOException, InterruptedException {
        tcp = Commands.background(logs.resolve(namespace + "-tcp.log"), "ip", "netns", "exec", namespace, "socat",
                "TCP4-LISTEN:" + PORT + ",bind=" + address + ",reuseaddr,fork", "SYSTEM:echo test-host");
        tcp6 = Commands.background(logs.resolve(namespace + "-tcp6.log"), "ip", "netns", "exec", namespace, "socat",
                "TCP6-LISTEN:" + PORT + ",bind=[" + address6 + "],reuseaddr,fork", "SYSTEM:echo test-host");
        dns = Commands.background(logs.resolve(namespace + "-dns.log"), "ip", "netns", "exec", namespace, "dnsmasq",
                "--no-daemon", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--port=53",
                "--listen-address=" + address, "--bind-interfaces", "--address=/#/203.0.113.7", "--user=root",
                "--group=root", "--pid-file=" + logs.resolve(namespace + "-dns.pid"));
        if (Eventually.within(Duration.ofSeconds(10), this::reachableFromHere) == null) {
            throw new IOException("the test host " + address + " did not come up");
        }
    }

    String address() {
        return address;
    }

    String address6() {
        return address6;
    }

    /** The positive control: this machine reaches the test host over IPv4, IPv6 and DNS. */
    boolean reachableFromHere() {
        try {
            return "test-host".equals(read(address)) && "test-host".equals(read(address6))
                    && Commands.run("dig", "@" + address, "+time=2", "+tries=1", "+short", "any.test")
                    .contains("203.0.113.7");
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String read(String host) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, PORT), 2000);
            s.setSoTimeout(2000);
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }

    @Override
    public void close() {
        Commands.stop(tcp);
        Commands.stop(tcp6);
        Commands.stop(dns);
        try {
            Commands.run("ip", "netns", "del", namespace);
        } catch (IOException | InterruptedException e) {
            // it was never made
        }
        try {
            Commands.run("ip", "link", "del", hostSide);
        } catch (IOException | InterruptedException e) {
            // deleting the namespace took the pair with it
        }
    }
}
