package kap.runtime.namespace;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * The capsule side of the bridge: listens on {@code 127.0.0.1} inside the capsule's network namespace and carries
 * each TCP connection, and each DNS datagram, to the host's Unix sockets. Everything here is reachable by the command,
 * so each listener has a cap on connections (and datagrams) in flight; over it, new ones are dropped.
 */
final class BridgeListeners implements AutoCloseable {

    /** Connections in flight per TCP listener. */
    static final int MAX_CONNECTIONS = 512;
    /** DNS datagrams in flight. */
    static final int MAX_DATAGRAMS = 256;
    /** How long one DNS exchange may take before the bridge gives up (the client retries on its own). */
    static final Duration DATAGRAM_TIMEOUT = Duration.ofSeconds(10);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final List<AutoCloseable> sockets = new ArrayList<>();

    private BridgeListeners() {
    }

    /**
     * Binds every service and starts accepting.
     *
     * @param services the services the sidecar runs
     * @param runtimeDir where the host's sockets are
     * @return the listeners
     * @throws IOException if a port cannot be bound
     */
    static BridgeListeners start(Set<Service> services, Path runtimeDir) throws IOException {
        BridgeListeners listeners = new BridgeListeners();
        try {
            for (Service service : services) {
                listeners.stream(service.port(), service.streamSocket(runtimeDir));
                if (service.datagramSocket(runtimeDir).isPresent()) {
                    listeners.datagrams(service.port(), service.datagramSocket(runtimeDir).get());
                }
            }
            return listeners;
        } catch (IOException | RuntimeException e) {
            listeners.close();
            throw e;
        }
    }

    private void stream(int port, Path target) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        sockets.add(server);
        server.bind(new InetSocketAddress(LOOPBACK, port), 128);
        Semaphore slots = new Semaphore(MAX_CONNECTIONS);
        Thread.ofVirtual().name("bridge-" + port).start(() -> {
            while (server.isOpen()) {
                try {
                    SocketChannel client = server.accept();
                    if (!slots.tryAcquire()) {
                        Pump.closeQuietly(client);
                        continue;
                    }
                    Thread.ofVirtual().start(() -> connect(client, target, slots));
                } catch (IOException e) {
                    if (!server.isOpen()) {
                        return;
                    }
                }
            }
        });
    }

    private static void connect(SocketChannel client, Path target, Semaphore slots) {
        try {
            SocketChannel host = SocketChannel.open(UnixDomainSocketAddress.of(target));
            Pump.start(client, host, slots::release);
        } catch (IOException e) {
            Pump.closeQuietly(client);
            slots.release();
        }
    }

    private void datagrams(int port, Path target) throws IOException {
        DatagramChannel udp = DatagramChannel.open(StandardProtocolFamily.INET);
        sockets.add(udp);
        udp.bind(new InetSocketAddress(LOOPBACK, port));
        Semaphore slots = new Semaphore(MAX_DATAGRAMS);
        Thread.ofVirtual().name("bridge-udp-" + port).start(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(DatagramFrames.MAX_DATAGRAM);
            while (udp.isOpen()) {
                try {
                    buffer.clear();
                    SocketAddress client = udp.receive(buffer);
                    if (!slots.tryAcquire()) {
                        continue;
                    }
                    ByteBuffer query = ByteBuffer.allocate(buffer.flip().remaining()).put(buffer).flip();
                    Thread.ofVirtual().start(() -> {
                        try {
                            exchange(udp, client, query, target);
                        } finally {
                            slots.release();
                        }
                    });
                } catch (ClosedChannelException e) {
                    return;
                } catch (IOException e) {
                    // one bad datagram; keep serving
                }
            }
        });
    }

    private static void exchange(DatagramChannel udp, SocketAddress client, ByteBuffer query, Path target) {
        try (SocketChannel host = SocketChannel.open(UnixDomainSocketAddress.of(target))) {
            Thread watchdog = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(DATAGRAM_TIMEOUT);
                    Pump.closeQuietly(host);
                } catch (InterruptedException e) {
                    // answered in time
                }
            });
            try {
                DatagramFrames.write(host, query);
                ByteBuffer reply = DatagramFrames.read(host);
                if (reply != null) {
                    udp.send(reply, client);
                }
            } finally {
                watchdog.interrupt();
            }
        } catch (IOException e) {
            // no answer: the client times out and retries, as with a lost datagram
        }
    }

    @Override
    public void close() {
        sockets.forEach(Pump::closeQuietly);
    }
}
