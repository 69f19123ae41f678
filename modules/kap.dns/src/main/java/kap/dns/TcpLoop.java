package kap.dns;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Serves DNS over TCP (RFC 7766): a two-byte length, then the message; several queries per connection, answered in
 * order. A connection is closed after {@link #IDLE_MILLIS} without a query, when one message takes longer than
 * {@link #MESSAGE_MILLIS} to arrive, or after {@link #MAX_QUERIES} queries. At most {@link #MAX_CONNECTIONS} are open;
 * more are closed at once.
 */
final class TcpLoop {

    /** Open connections at most. */
    static final int MAX_CONNECTIONS = 256;
    /** Idle time before a connection is closed. */
    static final int IDLE_MILLIS = 10_000;
    /** Time for one message to arrive once its first byte has. */
    static final int MESSAGE_MILLIS = 5_000;
    /** Queries per connection. */
    static final int MAX_QUERIES = 10_000;

    private static final System.Logger LOG = System.getLogger("kap.dns");

    private final ServerSocket server;
    private final QueryHandler handler;
    private final DnsStats stats;
    private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    TcpLoop(ServerSocket server, QueryHandler handler, DnsStats stats) {
        this.server = server;
        this.handler = handler;
        this.stats = stats;
    }

    void start() {
        Thread.ofPlatform().daemon().name("kap-dns-tcp-accept").start(this::accept);
    }

    /** Stops accepting; connections in flight may finish their current query. */
    void stopAccepting() {
        stopping = true;
        closeQuietly(server);
    }

    /** Closes every open connection. */
    void closeAll() {
        open.forEach(TcpLoop::closeQuietly);
    }

    int openConnections() {
        return open.size();
    }

    private void accept() {
        while (!stopping) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (stopping || server.isClosed()) {
                    return;
                }
                continue;
            }
            if (!slots.tryAcquire()) {
                closeQuietly(socket);
                continue;
            }
            stats.tcpConnections.increment();
            open.add(socket);
            Thread.ofVirtual().name("kap-dns-tcp").start(() -> {
                try {
                    serve(socket);
                } finally {
                    open.remove(socket);
                    closeQuietly(socket);
                    slots.release();
                }
            });
        }
    }

    private void serve(Socket socket) {
        InetAddress client = socket.getInetAddress();
        try {
            InputStream in = socket.getInputStream();
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            for (int i = 0; i < MAX_QUERIES && !stopping; i++) {
                socket.setSoTimeout(IDLE_MILLIS);
                int first = in.read();
                if (first < 0) {
                    return;
                }
                byte[] packet = readMessage(socket, in, first);
                byte[] reply = answer(packet, client);
                if (reply == null) {
                    return;
                }
                byte[] length = {(byte) (reply.length >>> 8), (byte) reply.length};
                out.write(length);
                out.write(reply);
                out.flush();
            }
        } catch (SocketTimeoutException | EOFException | SocketException e) {
            // idle, slow or gone: close
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "[dns] TCP connection from " + client.getHostAddress()
                    + " closed after an error: " + e);
        }
    }

    private byte[] readMessage(Socket socket, InputStream in, int first) throws IOException {
        long deadline = System.nanoTime() + MESSAGE_MILLIS * 1_000_000L;
        socket.setSoTimeout(MESSAGE_MILLIS);
        int second = in.read();
        if (second < 0) {
            throw new EOFException();
        }
        byte[] packet = new byte[(first << 8) | second];
        int read = 0;
        while (read < packet.length) {
            int left = (int) ((deadline - System.nanoTime()) / 1_000_000L);
            if (left <= 0) {
                throw new SocketTimeoutException("message too slow");
            }
            socket.setSoTimeout(left);
            int n = in.read(packet, read, packet.length - read);
            if (n < 0) {
                throw new EOFException();
            }
            read += n;
        }
        return packet;
    }

    private byte[] answer(byte[] packet, InetAddress client) {
        return switch (handler.handle(packet, client, true)) {
            case QueryHandler.Reply r -> r.bytes();
            case QueryHandler.Drop d -> null;
            case QueryHandler.Forward f -> handler.forward(f);
        };
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing: nothing left to do
        }
    }
}
