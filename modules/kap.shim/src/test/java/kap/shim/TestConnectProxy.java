package kap.shim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TEST FIXTURE, not kap's egress proxy: a minimal CONNECT proxy on loopback that tunnels only to loopback ports it
 * was told to allow and answers 403 with an explanation otherwise. With {@code coalesce}, it waits for the target's
 * first bytes and sends them in the same write as its 200, as a real proxy can, so the bridge must keep bytes read
 * past the answer.
 */
final class TestConnectProxy implements AutoCloseable {

    private final ServerSocket server;
    private final Set<Integer> allowedPorts;
    private final boolean coalesce;
    private final AtomicInteger tunnels = new AtomicInteger();

    TestConnectProxy(Set<Integer> allowedPorts, boolean coalesce) throws IOException {
        this.allowedPorts = allowedPorts;
        this.coalesce = coalesce;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    int tunnels() {
        return tunnels.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread.ofVirtual().start(() -> handle(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            String head = readHead(client.getInputStream());
            String[] request = head.split("\r\n")[0].split(" ");
            String target = request.length == 3 && request[0].equals("CONNECT") ? request[1] : "";
            int colon = target.lastIndexOf(':');
            String host = colon > 0 ? target.substring(0, colon) : "";
            int port = colon > 0 ? Integer.parseInt(target.substring(colon + 1)) : -1;
            if (!host.equals("127.0.0.1") || !allowedPorts.contains(port)) {
                byte[] body = ("test proxy: " + target + " is not allowed\n").getBytes(StandardCharsets.UTF_8);
                client.getOutputStream().write(("HTTP/1.1 403 Forbidden\r\nContent-Length: " + body.length
                        + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                client.getOutputStream().write(body);
                return;
            }
            try (Socket upstream = new Socket()) {
                upstream.connect(new InetSocketAddress(host, port), 5000);
                tunnels.incrementAndGet();
                ByteArrayOutputStream answer = new ByteArrayOutputStream();
                answer.writeBytes("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                if (coalesce) {
                    upstream.setSoTimeout(3000);
                    byte[] first = new byte[4096];
                    try {
                        int n = upstream.getInputStream().read(first);
                        if (n > 0) {
                            answer.write(first, 0, n);
                        }
                    } catch (SocketTimeoutException e) {
                        // the target does not speak first
                    }
                    upstream.setSoTimeout(0);
                }
                client.getOutputStream().write(answer.toByteArray());
                Thread up = Thread.ofVirtual().start(() -> pipe(client, upstream));
                pipe(upstream, client);
                up.join(10_000);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the tunnel ends
        }
    }

    /** Copies until EOF, then half-closes the other side, as a tunnel must. */
    private static void pipe(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // one side closed
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (head.size() < 8192) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            String s = head.toString(StandardCharsets.ISO_8859_1);
            if (s.endsWith("\r\n\r\n")) {
                return s;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
