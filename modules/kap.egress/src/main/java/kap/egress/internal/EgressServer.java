package kap.egress.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import kap.egress.Egress;
import kap.policy.LimitsConfig;
import kap.sidecar.spi.SidecarContext;

/**
 * The egress listener. A platform thread accepts; each connection gets a virtual thread, and each tunnel one more for
 * its second direction. Blocking code on virtual threads keeps the relay a plain read-then-write loop (which is what
 * gives backpressure) while costing no more than an event loop per idle connection; the benchmark in
 * {@code bench/egress.sh} compares it with tinyproxy and squid.
 */
public final class EgressServer implements Egress {

    /** Accept backlog; the kernel caps it at {@code net.core.somaxconn}. */
    static final int BACKLOG = 4096;

    private static final System.Logger LOG = System.getLogger("kap.egress");

    private final ServerSocketChannel server;
    private final InetSocketAddress address;
    private final Shared shared;
    private final ClientSession session;
    private final Limiter connections;
    private final Limiter overflow;
    private final Set<Thread> sessions = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    private EgressServer(ServerSocketChannel server, SidecarContext context) throws IOException {
        this.server = server;
        this.address = (InetSocketAddress) server.getLocalAddress();
        LimitsConfig limits = context.startConfig().proxy().limits();
        this.connections = new Limiter(limits.maxConnections());
        this.overflow = new Limiter(limits.maxConnections());
        this.shared = new Shared(context.policy(), new Gate(context.policy(), context.resolver()),
                new EgressAudit(context.audit()), new Limiter(limits.maxTunnels()), new BufferPool(), new Watchdog(),
                new Shared.Counters());
        this.session = new ClientSession(shared);
        this.acceptor = Thread.ofPlatform().name("kap-egress-accept").daemon().unstarted(this::acceptLoop);
    }

    /**
     * Binds {@code [proxy] listen} and starts accepting.
     *
     * @param context the sidecar context
     * @return the running listener
     * @throws IOException if the address cannot be bound
     */
    public static EgressServer start(SidecarContext context) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(context.startConfig().proxy().listen().socketAddress(), BACKLOG);
            EgressServer egress = new EgressServer(server, context);
            egress.acceptor.start();
            return egress;
        } catch (IOException | RuntimeException e) {
            Conn.closeQuietly(server);
            throw e;
        }
    }

    @Override
    public String name() {
        return "egress";
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public List<InetSocketAddress> addresses() {
        return List.of(address);
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("open_connections", connections.inUse());
        status.put("max_connections", connections.capacity());
        status.put("open_tunnels", shared.tunnels().inUse());
        status.put("max_tunnels", shared.tunnels().capacity());
        status.put("tunnels_total", shared.counters().tunnels().sum());
        status.put("requests_total", shared.counters().requests().sum());
        status.put("denied_total", shared.counters().denied().sum());
        status.put("internal_errors", shared.counters().internalErrors().sum());
        return status;
    }

    @Override
    public void shutdown(long graceMillis) {
        Conn.closeQuietly(server);
        long deadline = System.nanoTime() + Math.max(0, graceMillis) * 1_000_000L;
        while (!sessions.isEmpty() && System.nanoTime() < deadline) {
            sleep(20);
        }
        // interrupting a thread blocked in channel I/O closes that channel; the session's cleanup closes the rest
        sessions.forEach(Thread::interrupt);
        long hard = System.nanoTime() + 500_000_000L;
        while (!sessions.isEmpty() && System.nanoTime() < hard) {
            sleep(10);
        }
        shared.watchdog().close();
        try {
            acceptor.join(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                // typically out of file descriptors: back off instead of spinning, and keep the listener alive
                LOG.log(System.Logger.Level.WARNING, "[egress] accept failed: " + e);
                sleep(50);
                continue;
            }
            Limiter.Slot slot = connections.tryAcquire();
            if (slot == null) {
                refuseOverflow(channel);
            } else {
                Thread.ofVirtual().name("kap-egress-conn").start(() -> serve(channel, slot));
            }
        }
    }

    private void serve(SocketChannel channel, Limiter.Slot slot) {
        sessions.add(Thread.currentThread());
        try (slot; Conn conn = new Conn(channel)) {
            session.serve(conn);
        } catch (IOException | RuntimeException e) {
            Conn.closeQuietly(channel);
        } finally {
            sessions.remove(Thread.currentThread());
        }
    }

    /** At the connection cap: a 429 with Retry-After, from a bounded number of threads; beyond that, a plain close. */
    private void refuseOverflow(SocketChannel channel) {
        Limiter.Slot slot = overflow.tryAcquire();
        if (slot == null) {
            Conn.closeQuietly(channel);
            return;
        }
        Thread.ofVirtual().name("kap-egress-overflow").start(() -> {
            try (slot; Conn conn = new Conn(channel)) {
                Sessions.refuse(shared, conn, Optional.empty(), new EgressException(EgressException.Kind.TOO_MANY,
                        "too many connections (" + connections.capacity() + "); retry shortly"));
            } catch (IOException | RuntimeException e) {
                Conn.closeQuietly(channel);
            }
        });
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
