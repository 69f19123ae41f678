package kap.dns;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import kap.policy.Endpoint;

/**
 * The running forwarder: binds UDP and TCP on one port, and owns the loops and the pipeline.
 */
final class DnsServer implements DnsForwarder {

    /** Tries to find a port free for both UDP and TCP when port 0 was asked for. */
    static final int BIND_ATTEMPTS = 10;
    private static final int RECEIVE_BUFFER = 4 << 20;
    private static final int BACKLOG = 128;
    private static final System.Logger LOG = System.getLogger("kap.dns");

    private final Sockets sockets;
    private final QueryHandler handler;
    private final UdpLoop udpLoop;
    private final TcpLoop tcpLoop;
    private final Semaphore inFlight = new Semaphore(UdpLoop.MAX_IN_FLIGHT);
    private final DnsStats stats = new DnsStats();
    private volatile boolean stopped;

    private record Sockets(DatagramChannel udp, ServerSocket tcp, InetSocketAddress address) {
    }

    private DnsServer(Sockets sockets, DnsOptions options, ResolvConf host) {
        this.sockets = sockets;
        this.handler = new QueryHandler(options.policy(), new DnsAudit(options.audit()), new Upstreams(), host, stats);
        this.udpLoop = new UdpLoop(sockets.udp(), handler, inFlight);
        this.tcpLoop = new TcpLoop(sockets.tcp(), handler, stats);
    }

    static DnsServer start(DnsOptions options) throws IOException {
        ResolvConf file = ResolvConf.read(options.resolvConf());
        Sockets sockets = bind(options.listen());
        List<Endpoint> hostUpstreams = withoutSelf(file.nameservers(), sockets.address());
        List<Endpoint> configured = options.policy().current().config().proxy().dnsUpstreams();
        if (configured.isEmpty() && hostUpstreams.isEmpty()) {
            sockets.udp().close();
            sockets.tcp().close();
            throw new IOException("kap dns: no upstream resolver: proxy.dns_upstream is empty and "
                    + options.resolvConf() + " names no nameserver other than this forwarder; set proxy.dns_upstream"
                    + " (kap never falls back to a public resolver)");
        }
        ResolvConf host = new ResolvConf(hostUpstreams, file.searchDomains());
        DnsServer server = new DnsServer(sockets, options, host);
        server.udpLoop.start(Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
        server.tcpLoop.start();
        LOG.log(System.Logger.Level.INFO, "[dns] forwarding to " + (configured.isEmpty()
                ? hostUpstreams + " (from " + options.resolvConf() + ")" : configured + " (from proxy.dns_upstream)")
                + (host.searchDomains().isEmpty() ? "" : "; search domains " + host.searchDomains()));
        return server;
    }

    @Override
    public InetSocketAddress udpAddress() {
        return sockets.address();
    }

    @Override
    public InetSocketAddress tcpAddress() {
        return new InetSocketAddress(sockets.address().getAddress(), sockets.tcp().getLocalPort());
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>(stats.snapshot(handler.cacheSize()));
        status.put("tcp_open", tcpLoop.openConnections());
        status.put("in_flight", UdpLoop.MAX_IN_FLIGHT - inFlight.availablePermits());
        return status;
    }

    @Override
    public void shutdown(long graceMillis) {
        if (stopped) {
            return;
        }
        stopped = true;
        udpLoop.stop();
        tcpLoop.stopAccepting();
        try {
            if (inFlight.tryAcquire(UdpLoop.MAX_IN_FLIGHT, Math.max(0, graceMillis), TimeUnit.MILLISECONDS)) {
                inFlight.release(UdpLoop.MAX_IN_FLIGHT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tcpLoop.closeAll();
    }

    /** Binds UDP, then TCP on the same port; with port 0, tries again if that port is taken for TCP. */
    private static Sockets bind(Endpoint listen) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            DatagramChannel udp = DatagramChannel.open(listen.address() instanceof Inet4Address
                    ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
            try {
                udp.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
                udp.bind(listen.socketAddress());
            } catch (IOException e) {
                udp.close();
                throw new IOException("kap dns: cannot bind UDP " + listen + ": " + e.getMessage(), e);
            }
            InetSocketAddress bound = (InetSocketAddress) udp.getLocalAddress();
            ServerSocket tcp = new ServerSocket();
            try {
                tcp.setReuseAddress(true);
                tcp.bind(new InetSocketAddress(listen.address(), bound.getPort()), BACKLOG);
                return new Sockets(udp, tcp, bound);
            } catch (IOException e) {
                tcp.close();
                udp.close();
                last = e;
                if (listen.port() != 0) {
                    break;
                }
            }
        }
        throw new IOException("kap dns: cannot bind TCP " + listen + " on the UDP port: "
                + (last == null ? "unknown" : last.getMessage()), last);
    }

    /**
     * The host's nameservers, without this forwarder itself: inside a capsule's network namespace the host's
     * resolv.conf may name the very address kap listens on, and forwarding to it would loop.
     */
    static List<Endpoint> withoutSelf(List<Endpoint> nameservers, InetSocketAddress bound) {
        return nameservers.stream().filter(e -> !isSelf(e, bound)).toList();
    }

    private static boolean isSelf(Endpoint e, InetSocketAddress bound) {
        if (e.port() != bound.getPort()) {
            return false;
        }
        InetAddress listening = bound.getAddress();
        if (listening.equals(e.address())) {
            return true;
        }
        if (!listening.isAnyLocalAddress()) {
            return false;
        }
        try {
            return e.address().isLoopbackAddress() || NetworkInterface.getByInetAddress(e.address()) != null;
        } catch (SocketException ex) {
            return true;
        }
    }
}
