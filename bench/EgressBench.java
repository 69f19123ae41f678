import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Load tool for bench/egress.sh (not a test). java.base only; run with the source launcher:
 *
 * <pre>
 *   java EgressBench.java serve PORT                       upstream: reads "N\n", writes N bytes, closes;
 *                                                          a client that sends nothing is held open
 *   java EgressBench.java bulk PROXY TARGET_PORT BYTES     one tunnel, download BYTES, print MiB/s
 *   java EgressBench.java rate PROXY TARGET_PORT CONC SECS new tunnels per second and set-up latency
 *   java EgressBench.java idle PROXY TARGET_PORT COUNT     open COUNT tunnels, print "ready", hold until stdin ends
 * </pre>
 *
 * PROXY is host:port of an HTTP proxy (CONNECT 127.0.0.1:TARGET_PORT) or "direct". Every address is loopback.
 */
public class EgressBench {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "serve" -> serve(Integer.parseInt(args[1]));
            case "bulk" -> bulk(args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]));
            case "rate" -> rate(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]));
            case "idle" -> idle(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    // ---- upstream ----

    static void serve(int port) throws IOException {
        try (ServerSocket server = new ServerSocket(port, 8192, LOOPBACK)) {
            System.out.println("serving on " + server.getLocalPort());
            while (true) {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> answer(s));
            }
        }
    }

    static void answer(Socket s) {
        try (s; SocketChannel ignored = null) {
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b; (b = in.read()) != '\n'; ) {
                if (b < 0) {
                    return;
                }
                line.append((char) b);
            }
            long n = Long.parseLong(line.toString().trim());
            OutputStream out = s.getOutputStream();
            byte[] block = new byte[256 * 1024];
            for (long left = n; left > 0; left -= block.length) {
                out.write(block, 0, (int) Math.min(block.length, left));
            }
            out.flush();
            s.shutdownOutput();
            in.read();
        } catch (IOException e) {
            // client went away
        }
    }

    // ---- clients ----

    /** Opens a tunnel (or a direct connection) to the target; returns the channel ready for payload. */
    static SocketChannel open(String proxy, int targetPort) throws IOException {
        if (proxy.equals("direct")) {
            SocketChannel ch = SocketChannel.open(new InetSocketAddress(LOOPBACK, targetPort));
            ch.socket().setTcpNoDelay(true);
            return ch;
        }
        int colon = proxy.lastIndexOf(':');
        SocketChannel ch = SocketChannel.open(new InetSocketAddress(proxy.substring(0, colon),
                Integer.parseInt(proxy.substring(colon + 1))));
        ch.socket().setTcpNoDelay(true);
        String connect = "CONNECT 127.0.0.1:" + targetPort + " HTTP/1.1\r\nHost: 127.0.0.1:" + targetPort + "\r\n\r\n";
        ch.write(ByteBuffer.wrap(connect.getBytes(StandardCharsets.US_ASCII)));
        // read the response head byte by byte so no payload byte is consumed
        ByteBuffer one = ByteBuffer.allocate(1);
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            one.clear();
            if (ch.read(one) < 0) {
                throw new IOException("proxy closed during CONNECT: " + head);
            }
            head.append((char) one.get(0));
            if (head.length() > 8192) {
                throw new IOException("response head too long");
            }
        }
        if (!head.substring(9, 12).equals("200")) {
            ch.close();
            throw new IOException("CONNECT refused: " + head.toString().lines().findFirst().orElse(""));
        }
        return ch;
    }

    static void bulk(String proxy, int targetPort, long bytes) throws IOException {
        try (SocketChannel ch = open(proxy, targetPort)) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
            long start = System.nanoTime();
            ch.write(ByteBuffer.wrap((bytes + "\n").getBytes(StandardCharsets.US_ASCII)));
            long got = 0;
            while (got < bytes) {
                buffer.clear();
                int n = ch.read(buffer);
                if (n < 0) {
                    throw new IOException("stream ended after " + got + " bytes");
                }
                got += n;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("bulk %s bytes=%d seconds=%.3f MiB/s=%.1f%n", proxy, got, seconds,
                    got / seconds / (1 << 20));
        }
    }

    static void rate(String proxy, int targetPort, int concurrency, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        LongAdder done = new LongAdder();
        LongAdder failed = new LongAdder();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        AtomicLong firstError = new AtomicLong();
        for (int t = 0; t < concurrency; t++) {
            long[] mine = new long[2_000_000];
            latencies.add(mine);
            int index = t;
            threads.add(Thread.ofVirtual().start(() -> {
                int count = 0;
                ByteBuffer one = ByteBuffer.allocate(1);
                while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    try (SocketChannel ch = open(proxy, targetPort)) {
                        long ready = System.nanoTime();
                        ch.write(ByteBuffer.wrap("1\n".getBytes(StandardCharsets.US_ASCII)));
                        one.clear();
                        if (ch.read(one) != 1) {
                            throw new IOException("no payload");
                        }
                        if (count < mine.length) {
                            mine[count++] = ready - start;
                        }
                        done.increment();
                    } catch (IOException e) {
                        failed.increment();
                        if (firstError.compareAndSet(0, 1)) {
                            System.err.println("rate: first error (thread " + index + "): " + e.getMessage());
                        }
                    }
                }
                mine[mine.length - 1] = count;
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        long total = 0;
        for (long[] l : latencies) {
            total += l[l.length - 1];
        }
        long[] all = new long[(int) total];
        int at = 0;
        for (long[] l : latencies) {
            int c = (int) l[l.length - 1];
            System.arraycopy(l, 0, all, at, c);
            at += c;
        }
        Arrays.sort(all);
        System.out.printf("rate %s concurrency=%d tunnels=%d failed=%d per_second=%.0f p50_ms=%.3f p99_ms=%.3f%n",
                proxy, concurrency, done.sum(), failed.sum(), done.sum() / (double) seconds,
                percentile(all, 0.50) / 1e6, percentile(all, 0.99) / 1e6);
    }

    static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
    }

    static void idle(String proxy, int targetPort, int count) throws Exception {
        List<SocketChannel> open = new ArrayList<>(count);
        int failures = 0;
        for (int i = 0; i < count; i++) {
            try {
                open.add(open(proxy, targetPort));
            } catch (IOException e) {
                if (failures++ == 0) {
                    System.err.println("idle: first failure at " + i + ": " + e.getMessage());
                }
            }
        }
        System.out.println("ready open=" + open.size() + " failed=" + failures);
        System.out.flush();
        System.in.read();
        for (SocketChannel ch : open) {
            ch.close();
        }
    }
}
