package kap.clix;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import kap.policy.AuditEvent;
import kap.policy.CliTool;
import kap.policy.Decision;
import kap.policy.LivePolicy;
import kap.policy.Policy;
import kap.sidecar.spi.Listener;
import kap.sidecar.spi.SidecarContext;

/**
 * The CLI proxy listener: accepts shim connections, one virtual thread each, and keeps the shim scripts in step with
 * the policy.
 */
final class ClixServer implements Listener {

    /** Commands deciding or running at once; more are refused with a message. */
    static final int MAX_COMMANDS = 64;
    /** Connections open at once, including those being refused; more are closed at once. */
    static final int MAX_CONNECTIONS = 256;

    private static final System.Logger LOG = System.getLogger("kap.clix");

    private final SidecarContext context;
    private final ClixSettings settings;
    private final Map<String, String> sidecarEnv;
    private final ServerSocket serverSocket;
    private final Workspace workspace;
    private final Optional<ShimWriter> shims;
    private final Semaphore commands = new Semaphore(MAX_COMMANDS);
    private final Semaphore connections = new Semaphore(MAX_CONNECTIONS);
    private final Set<Execution> running = ConcurrentHashMap.newKeySet();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong allowed = new AtomicLong();
    private final AtomicLong denied = new AtomicLong();
    private final Thread acceptor;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("clix-timer").daemon().factory());
    private volatile boolean stopping;

    private ClixServer(SidecarContext context, ClixSettings settings, Map<String, String> sidecarEnv,
                       ServerSocket serverSocket) {
        this.context = context;
        this.settings = settings;
        this.sidecarEnv = Map.copyOf(sidecarEnv);
        this.serverSocket = serverSocket;
        this.workspace = new Workspace(settings.workspace(), settings.capsuleWorkspace());
        this.shims = settings.shimDir().map(dir -> new ShimWriter(dir, settings));
        this.acceptor = Thread.ofPlatform().name("clix-accept").daemon().unstarted(this::accept);
    }

    static ClixServer start(SidecarContext context, ClixSettings settings) throws IOException {
        return start(context, settings, System.getenv());
    }

    static ClixServer start(SidecarContext context, ClixSettings settings, Map<String, String> sidecarEnv)
            throws IOException {
        InetSocketAddress address = context.startConfig().cli().orElseThrow().listen().socketAddress();
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(address, 128);
        ClixServer server = new ClixServer(context, settings, sidecarEnv, socket);
        server.syncShims(context.policy().current());
        context.policy().onReload(server::syncShims);
        server.acceptor.start();
        String charset = System.getProperty("sun.jnu.encoding", "UTF-8");
        if (!charset.equalsIgnoreCase("UTF-8")) {
            LOG.log(System.Logger.Level.WARNING, "[clix] the sidecar's locale is " + charset + ", not UTF-8:"
                    + " commands with non-ASCII arguments will be refused; run the sidecar with LANG=C.UTF-8");
        }
        return server;
    }

    @Override
    public String name() {
        return "clix";
    }

    @Override
    public List<InetSocketAddress> addresses() {
        return List.of((InetSocketAddress) serverSocket.getLocalSocketAddress());
    }

    @Override
    public Map<String, Object> status() {
        return Map.of("running", running.size(), "allowed", allowed.get(), "denied", denied.get(),
                "shim_dir", settings.shimDir().map(Object::toString).orElse("-"));
    }

    @Override
    public void shutdown(long graceMillis) {
        stopping = true;
        try {
            serverSocket.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "[clix] closing listener: " + e);
        }
        // within the grace period: first let commands finish, then leave time to kill what is left
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        long killBudget = Execution.KILL_GRACE.toNanos() + TimeUnit.MILLISECONDS.toNanos(300);
        while (!running.isEmpty() && System.nanoTime() < end - killBudget) {
            sleep(20);
        }
        running.forEach(e -> e.stop(Execution.Stop.SHUTDOWN));
        while (!running.isEmpty() && System.nanoTime() < end) {
            sleep(20);
        }
        open.forEach(ClixServer::closeQuietly);
        timer.shutdownNow();
    }

    /**
     * Closes a connection after a delay unless the returned future is cancelled first.
     *
     * @param socket the connection
     * @param delay how long it may take
     * @return cancel it when the step finished in time
     */
    Future<?> closeLater(Socket socket, Duration delay) {
        try {
            return timer.schedule(() -> closeQuietly(socket), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down: the shutdown closes every connection itself
            return CompletableFuture.completedFuture(null);
        }
    }

    LivePolicy policy() {
        return context.policy();
    }

    ClixSettings settings() {
        return settings;
    }

    Workspace workspace() {
        return workspace;
    }

    Map<String, String> sidecarEnv() {
        return sidecarEnv;
    }

    void running(Execution execution, boolean add) {
        if (add) {
            running.add(execution);
        } else {
            running.remove(execution);
        }
    }

    /** Records one event per decision, and logs it on one line: allow at INFO, deny at WARNING. */
    void audit(String subject, Decision decision, String client, long startedNanos, Map<String, Object> detail) {
        AuditEvent event = AuditEvent.of("clix", subject, decision, client);
        for (Map.Entry<String, Object> e : detail.entrySet()) {
            event = event.with(e.getKey(), e.getValue());
        }
        event = event.with("duration_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos));
        context.audit().record(event);
        (decision.allowed() ? allowed : denied).incrementAndGet();
        LOG.log(decision.allowed() ? System.Logger.Level.INFO : System.Logger.Level.WARNING, "[clix] "
                + (decision.allowed() ? "allow " : "deny ") + subject + " reason=\"" + decision.reason() + "\" rule="
                + decision.ruleOrDash() + " client=" + client + detailText(detail));
    }

    private void accept() {
        while (!stopping) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (SocketException e) {
                return;
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "[clix] accept failed: " + e);
                continue;
            }
            if (!connections.tryAcquire()) {
                closeQuietly(socket);
                continue;
            }
            open.add(socket);
            Thread.ofVirtual().name("clix-session").start(() -> {
                try {
                    serve(socket);
                } finally {
                    open.remove(socket);
                    connections.release();
                }
            });
        }
    }

    private void serve(Socket socket) {
        if (!commands.tryAcquire()) {
            new Session(this, socket).refuseBusy();
            return;
        }
        try {
            new Session(this, socket).serve();
        } catch (RuntimeException e) {
            // a bug must cost one command, never the listener
            LOG.log(System.Logger.Level.ERROR, "[clix] command failed: " + e, e);
        } finally {
            commands.release();
        }
    }

    private void syncShims(Policy policy) {
        if (shims.isEmpty() || stopping) {
            return;
        }
        List<String> tools = policy.config().cli().map(c -> c.tools().stream().map(CliTool::name).toList())
                .orElse(List.of());
        shims.get().sync(tools);
    }

    private static String detailText(Map<String, Object> detail) {
        StringBuilder s = new StringBuilder();
        detail.forEach((k, v) -> s.append(' ').append(k).append('=').append(v));
        return s.toString();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing is all we wanted
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(Duration.ofMillis(millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
