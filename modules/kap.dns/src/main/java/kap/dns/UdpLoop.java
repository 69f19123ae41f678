package kap.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * Receives UDP queries. A few platform threads share the socket; each answers what it can at once (refusals and
 * cache hits) and hands queries that need upstream to a virtual thread, at most {@link #MAX_IN_FLIGHT} at a time.
 * Nothing a client sends can end a receiving thread: every failure is contained to its datagram.
 */
final class UdpLoop {

    /** Queries waiting on upstreams at once; beyond this a query gets SERVFAIL at once. */
    static final int MAX_IN_FLIGHT = 2048;

    private static final System.Logger LOG = System.getLogger("kap.dns");

    private final DatagramChannel channel;
    private final QueryHandler handler;
    private final Semaphore inFlight;
    private final List<Thread> receivers = new ArrayList<>();
    private volatile boolean stopping;

    UdpLoop(DatagramChannel channel, QueryHandler handler, Semaphore inFlight) {
        this.channel = channel;
        this.handler = handler;
        this.inFlight = inFlight;
    }

    void start(int threads) {
        for (int i = 0; i < threads; i++) {
            receivers.add(Thread.ofPlatform().daemon().name("kap-dns-udp-" + i).start(this::receive));
        }
    }

    void stop() {
        stopping = true;
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "[dns] closing UDP socket: " + e);
        }
    }

    private void receive() {
        // one byte more than we accept, so an oversized datagram is seen as such rather than silently cut
        ByteBuffer buffer = ByteBuffer.allocateDirect(QueryParser.MAX_UDP_QUERY + 1);
        while (!stopping) {
            InetSocketAddress client;
            byte[] packet;
            try {
                buffer.clear();
                client = (InetSocketAddress) channel.receive(buffer);
                buffer.flip();
                packet = new byte[buffer.remaining()];
                buffer.get(packet);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // ICMP errors from earlier sends surface here on some systems; the socket is still fine
                continue;
            }
            serve(packet, client);
        }
    }

    private void serve(byte[] packet, InetSocketAddress client) {
        try {
            switch (handler.handle(packet, client.getAddress(), false)) {
                case QueryHandler.Reply r -> send(r.bytes(), client);
                case QueryHandler.Drop d -> {
                }
                case QueryHandler.Forward f -> forward(f, client);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "[dns] unexpected error on a UDP query from "
                    + client.getAddress().getHostAddress() + "; listener continues", e);
        }
    }

    private void forward(QueryHandler.Forward f, InetSocketAddress client) {
        if (!inFlight.tryAcquire()) {
            send(handler.busy(f), client);
            return;
        }
        Thread.ofVirtual().name("kap-dns-fwd").start(() -> {
            try {
                send(handler.forward(f), client);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "[dns] unexpected error forwarding " + f.name(), e);
            } finally {
                inFlight.release();
            }
        });
    }

    private void send(byte[] reply, InetSocketAddress client) {
        try {
            channel.send(ByteBuffer.wrap(reply), client);
        } catch (IOException e) {
            // the client went away or the socket closed during shutdown: nothing to do
        }
    }
}
