package kap.egress.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * Real servers on 127.0.0.1:0 for the proxy to reach: the JDK's HTTP and HTTPS servers with echo, download and upload
 * handlers, and a raw TCP server that records every byte it receives.
 */
final class Upstreams {

    private Upstreams() {
    }

    /** Starts an HTTP server with the test handlers. */
    static HttpServer http() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        install(server);
        server.start();
        return server;
    }

    /** Starts an HTTPS server with the test certificate and handlers. */
    static HttpsServer https() throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(TestTls.get().serverContext()));
        install(server);
        server.start();
        return server;
    }

    private static void install(HttpServer server) {
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        // /echo: the request line and every header, one per line, then the body's length and SHA-256
        server.createContext("/echo", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            StringBuilder out = new StringBuilder();
            out.append(x.getRequestMethod()).append(' ').append(x.getRequestURI()).append('\n');
            x.getRequestHeaders().forEach((k, vs) -> vs.forEach(v -> out.append(k.toLowerCase()).append(": ")
                    .append(v).append('\n')));
            out.append("body-length: ").append(body.length).append('\n');
            out.append("body-sha256: ").append(sha256(body)).append('\n');
            x.getResponseHeaders().add("X-Upstream", "echo");
            send(x, 200, out.toString().getBytes(StandardCharsets.UTF_8));
        });
        // /bytes?n=N: N bytes of a repeating pattern, chunked (length unknown up front)
        server.createContext("/bytes", x -> {
            long n = Long.parseLong(x.getRequestURI().getQuery().substring(2));
            x.sendResponseHeaders(200, 0);
            try (OutputStream out = x.getResponseBody()) {
                byte[] block = pattern(64 * 1024);
                for (long left = n; left > 0; left -= block.length) {
                    out.write(block, 0, (int) Math.min(block.length, left));
                }
            }
        });
        server.createContext("/hello", x -> send(x, 200, ("hello from " + x.getRequestHeaders().getFirst("Host")
                + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    private static void send(HttpExchange x, int status, byte[] body) throws IOException {
        x.sendResponseHeaders(status, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    static byte[] pattern(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A TCP server that records what each connection sends, and answers with whatever the responder returns for a
     * new connection (a banner, a canned HTTP response, or nothing).
     */
    static final class Raw implements AutoCloseable {
        private final ServerSocket server;
        private final List<ByteArrayOutputStream> received = new CopyOnWriteArrayList<>();
        private final Function<Socket, byte[]> greeting;
        private final boolean echo;
        private final String answerAfter;

        private Raw(Function<Socket, byte[]> greeting, boolean echo) throws IOException {
            this(greeting, echo, null);
        }

        private Raw(Function<Socket, byte[]> greeting, boolean echo, String answerAfter) throws IOException {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            this.greeting = greeting;
            this.echo = echo;
            this.answerAfter = answerAfter;
            Thread.ofVirtual().start(this::acceptLoop);
        }

        /** Records and says nothing. */
        static Raw silent() throws IOException {
            return new Raw(s -> new byte[0], false);
        }

        /** Sends the bytes as soon as a client connects (a server that speaks first, like SSH). */
        static Raw banner(String text) throws IOException {
            return new Raw(s -> text.getBytes(StandardCharsets.US_ASCII), true);
        }

        /** Echoes everything back. */
        static Raw echo() throws IOException {
            return new Raw(s -> new byte[0], true);
        }

        /** Answers every connection with this text once, then records. */
        static Raw answering(String response) throws IOException {
            return new Raw(s -> response.getBytes(StandardCharsets.ISO_8859_1), false);
        }

        /** Answers with this text once a connection has sent the marker (such as the end of a chunked body). */
        static Raw answeringAfter(String marker, String response) throws IOException {
            return new Raw(s -> response.getBytes(StandardCharsets.ISO_8859_1), false, marker);
        }

        int port() {
            return server.getLocalPort();
        }

        int connections() {
            return received.size();
        }

        /** All bytes received on every connection so far. */
        String receivedText() {
            StringBuilder out = new StringBuilder();
            received.forEach(b -> out.append(b.toString(StandardCharsets.ISO_8859_1)));
            return out.toString();
        }

        long receivedBytes() {
            return received.stream().mapToLong(ByteArrayOutputStream::size).sum();
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    ByteArrayOutputStream sink = new ByteArrayOutputStream();
                    received.add(sink);
                    Thread.ofVirtual().start(() -> serve(s, sink));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket s, ByteArrayOutputStream sink) {
            try (s) {
                OutputStream out = s.getOutputStream();
                boolean answered = answerAfter == null;
                if (answered) {
                    out.write(greeting.apply(s));
                    out.flush();
                }
                InputStream in = s.getInputStream();
                byte[] buf = new byte[8192];
                for (int n; (n = in.read(buf)) >= 0; ) {
                    synchronized (sink) {
                        sink.write(buf, 0, n);
                    }
                    if (echo) {
                        out.write(buf, 0, n);
                    }
                    if (!answered && sink.toString(StandardCharsets.ISO_8859_1).contains(answerAfter)) {
                        answered = true;
                        out.write(greeting.apply(s));
                        out.flush();
                    }
                }
                s.shutdownOutput();
            } catch (IOException e) {
                // the proxy closed or reset: recorded what came
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
