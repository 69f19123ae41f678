package kap.runtime.namespace;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * The host side of the bridge, in the {@code kap run} process: one Unix socket per sidecar listener in the capsule's
 * runtime directory, each connection relayed to the listener's loopback port; and for DNS over UDP, a socket that
 * takes length-framed datagrams and sends each to the DNS forwarder as a real UDP query, so that the forwarder's own
 * rules for UDP (truncation, client limits) apply unchanged.
 */
final class HostRelay implements AutoCloseable {

    /** Connections in flight per socket. */
    static final int MAX_CONNECTIONS = 512;
    /** How long the DNS forwarder may take to answer one datagram. */
    static final Duration DATAGRAM_TIMEOUT = Duration.ofSeconds(8);

    private final List<ServerSocketChannel> servers = new ArrayList<>();
    private final List<Path> paths = new ArrayList<>();

    private HostRelay() {
    }

    /**
     * Opens a socket for each listener and starts relaying.
     *
     * @param runtimeDir the capsule's runtime directory
     * @param listeners each service's loopback address on the host
     * @return the relay
     * @throws IOException if a socket cannot be created
     */
    static HostRelay start(Path runtimeDir, Map<Service, InetSocketAddress> listeners) throws IOException {
        HostRelay relay = new HostRelay();
        try {
            for (var e : listeners.entrySet()) {
                InetSocketAddress target = e.getValue();
                relay.serve(e.getKey().streamSocket(runtimeDir), (client, done) -> stream(client, target, done));
                if (e.getKey().datagramSocket(runtimeDir).isPresent()) {
                    relay.serve(e.getKey().datagramSocket(runtimeDir).get(),
                            (client, done) -> datagrams(client, target, done));
                }
            }
            return relay;
        } catch (IOException | RuntimeException e) {
            relay.close();
            throw e;
        }
    }

    private void serve(Path path, Handler handler) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        servers.add(server);
        server.bind(UnixDomainSocketAddress.of(path), 128);
        paths.add(path);
        Semaphore slots = new Semaphore(MAX_CONNECTIONS);
        Thread.ofVirtual().name("relay-" + path.getFileName()).start(() -> {
            while (server.isOpen()) {
                try {
                    SocketChannel client = server.accept();
                    if (!slots.tryAcquire()) {
                        Pump.closeQuietly(client);
                        continue;
                    }
                    Thread.ofVirtual().start(() -> handler.handle(client, slots::release));
                } catch (IOException e) {
                    if (!server.isOpen()) {
                        return;
                    }
                }
            }
        });
    }

    private static void stream(SocketChannel client, InetSocketAddress target, Runnable done) {
        try {
            Pump.start(client, SocketChannel.open(target), done);
        } catch (IOException e) {
            Pump.closeQuietly(client);
            done.run();
        }
    }

    /** Each frame is one query; it goes out over UDP and its answer comes back as one frame. */
    private static void datagrams(SocketChannel client, InetSocketAddress target, Runnable done) {
        try (client; DatagramSocket udp = new DatagramSocket(new InetSocketAddress(target.getAddress(), 0))) {
            udp.connect(target);
            udp.setSoTimeout((int) DATAGRAM_TIMEOUT.toMillis());
            byte[] answer = new byte[DatagramFrames.MAX_DATAGRAM];
            ByteBuffer query;
            while ((query = DatagramFrames.read(client)) != null) {
                udp.send(new DatagramPacket(query.array(), query.remaining()));
                DatagramPacket reply = new DatagramPacket(answer, answer.length);
                udp.receive(reply);
                DatagramFrames.write(client, ByteBuffer.wrap(answer, 0, reply.getLength()));
            }
        } catch (IOException e) {
            // a timeout or a broken frame ends this exchange; the resolver in the capsule retries
        } finally {
            done.run();
        }
    }

    @Override
    public void close() {
        servers.forEach(Pump::closeQuietly);
        for (Path path : paths) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // the runtime directory is deleted as a whole next
            }
        }
    }

    private interface Handler {
        void handle(SocketChannel client, Runnable done);
    }
}
