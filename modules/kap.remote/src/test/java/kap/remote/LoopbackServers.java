package kap.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The world, for the browser test: an HTTP server on loopback that answers every request with a fixed body, and a
 * real dnsmasq on loopback that resolves one test name to 127.0.0.1 and nothing else.
 */
final class LoopbackServers {

    static final String BODY = "hello from upstream";

    private LoopbackServers() {
    }

    /** An HTTP/1.1 server that answers any request with {@link #BODY}. */
    static ServerSocket http() throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> answer(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return server;
    }

    private static void answer(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            s.setSoTimeout(5000);
            StringBuilder head = new StringBuilder();
            int b;
            while ((b = in.read()) != -1 && head.length() < 65536) {
                head.append((char) b);
                if (head.toString().endsWith("\r\n\r\n")) {
                    break;
                }
            }
            byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
        } catch (IOException e) {
            // the client went away
        }
    }

    /** A dnsmasq on a free loopback port answering {@code name} with 127.0.0.1. */
    static Dns dns(Path dir, String name) throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 5; attempt++) {
            int port;
            try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            Path out = dir.resolve("dnsmasq-" + port + ".out");
            Process p = new ProcessBuilder(List.of("dnsmasq", "--no-daemon", "--conf-file=/dev/null", "--no-resolv",
                    "--no-hosts", "--port=" + port, "--listen-address=127.0.0.1", "--bind-interfaces",
                    "--log-facility=-", "--pid-file=" + dir.resolve("dnsmasq.pid"), "--user=root", "--group=root",
                    "--address=/" + name + "/127.0.0.1")).redirectErrorStream(true).redirectOutput(out.toFile())
                    .start();
            for (int i = 0; i < 100 && p.isAlive(); i++) {
                if (Files.exists(out) && Files.readString(out).contains("started")) {
                    return new Dns(p, port);
                }
                Thread.sleep(50);
            }
            p.destroyForcibly();
        }
        throw new IOException("dnsmasq did not start");
    }

    /** A running dnsmasq. */
    record Dns(Process process, int port) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
