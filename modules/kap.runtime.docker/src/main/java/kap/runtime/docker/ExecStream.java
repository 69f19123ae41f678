package kap.runtime.docker;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * Attaches to a created exec over the Engine API's upgraded connection ({@code POST /exec/{id}/start}) and carries
 * the streams both ways. docker-java's own attach never half-closes its side when the caller's input ends, so a
 * command reading until end of input ({@code echo x | kap exec -- cat}) would wait forever; here the end of input
 * closes the write side, which Docker passes on as end of file.
 *
 * <p>Without a terminal the output is Docker's multiplexed stream: frames of an 8-byte header (stream type, then the
 * payload length, big-endian) and the payload. A frame longer than {@link #MAX_FRAME} is refused.
 */
final class ExecStream {

    /** The largest frame accepted from the engine. */
    static final int MAX_FRAME = 16 << 20;
    private static final int MAX_HEAD = 64 * 1024;

    private ExecStream() {
    }

    /**
     * Starts the exec and copies its streams until it ends.
     *
     * @param host the engine address ({@code unix:///var/run/docker.sock} or {@code tcp://host:port})
     * @param execId the created exec
     * @param tty whether the exec has a terminal (raw output, no frames)
     * @param in the caller's input, or {@code null} to send none
     * @param out where standard output goes
     * @param err where standard error goes
     * @throws IOException if the engine cannot be reached or answers with an error
     */
    static void run(String host, String execId, boolean tty, InputStream in, OutputStream out, OutputStream err)
            throws IOException {
        try (SocketChannel channel = open(host)) {
            OutputStream toEngine = Channels.newOutputStream(channel);
            InputStream fromEngine = Channels.newInputStream(channel);
            byte[] body = ("{\"Detach\":false,\"Tty\":" + tty + "}").getBytes(StandardCharsets.US_ASCII);
            String head = "POST /exec/" + execId + "/start HTTP/1.1\r\nHost: docker\r\n"
                    + "Content-Type: application/json\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n";
            toEngine.write(head.getBytes(StandardCharsets.US_ASCII));
            toEngine.write(body);
            toEngine.flush();
            String status = readHead(fromEngine);
            if (!status.startsWith("HTTP/1.1 101") && !status.startsWith("HTTP/1.1 200")) {
                throw new IOException("the engine refused to start the exec: " + status);
            }
            if (in != null) {
                Thread pump = new Thread(() -> pump(in, toEngine, channel), "kap-exec-stdin");
                pump.setDaemon(true);
                pump.start();
            } else {
                channel.shutdownOutput();
            }
            if (tty) {
                copy(fromEngine, out);
            } else {
                demux(fromEngine, out, err);
            }
        }
    }

    private static SocketChannel open(String host) throws IOException {
        URI uri = URI.create(host);
        return switch (uri.getScheme()) {
            case "unix" -> SocketChannel.open(UnixDomainSocketAddress.of(uri.getPath()));
            case "tcp", "http" -> SocketChannel.open(new InetSocketAddress(uri.getHost(), uri.getPort()));
            default -> throw new IOException("kap exec cannot attach through " + host + " (unix:// or tcp:// only)");
        };
    }

    /** Reads the response head and returns its status line. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the engine closed the connection before answering");
            }
            head.write(b);
            if (head.size() > MAX_HEAD) {
                throw new IOException("the engine's answer has an oversized head");
            }
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        return text.substring(0, text.indexOf("\r\n"));
    }

    /** Copies the caller's input, then closes the write side: Docker passes that on as end of file. */
    private static void pump(InputStream in, OutputStream toEngine, SocketChannel channel) {
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                toEngine.write(buffer, 0, n);
                toEngine.flush();
            }
            channel.shutdownOutput();
        } catch (IOException e) {
            // the exec ended first, or the caller's input failed: either way nothing more to send
        }
    }

    private static void copy(InputStream from, OutputStream to) throws IOException {
        byte[] buffer = new byte[8192];
        int n;
        while ((n = from.read(buffer)) >= 0) {
            to.write(buffer, 0, n);
            to.flush();
        }
    }

    static void demux(InputStream from, OutputStream out, OutputStream err) throws IOException {
        byte[] header = new byte[8];
        while (true) {
            int got = from.readNBytes(header, 0, 8);
            if (got == 0) {
                return;
            }
            if (got < 8) {
                throw new EOFException("truncated frame header from the engine");
            }
            long size = ((header[4] & 0xffL) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8)
                    | (header[7] & 0xff);
            if (size > MAX_FRAME) {
                throw new IOException("a frame of " + size + " bytes from the engine is over the limit");
            }
            byte[] payload = from.readNBytes((int) size);
            OutputStream target = header[0] == 2 ? err : out;
            target.write(payload);
            target.flush();
            if (payload.length < size) {
                return;
            }
        }
    }
}
