package kap.sidecar;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import kap.policy.AuditEvent;
import kap.policy.AuditLog;
import kap.policy.KapConfig;
import kap.policy.LivePolicy;
import kap.sidecar.spi.Listener;
import kap.sidecar.spi.ListenerProvider;
import kap.sidecar.spi.Resolver;
import kap.sidecar.spi.ResolverProvider;
import kap.sidecar.spi.SidecarContext;

/**
 * A running sidecar: the live policy, the audit log, every enabled listener, and the admin listener.
 *
 * <p>A sidecar is an immutable map of named listeners once started. {@link #close()} stops them all within
 * {@link #SHUTDOWN_DEADLINE}.
 */
public final class Sidecar implements AutoCloseable {

    /** Graceful shutdown never takes longer than this. */
    public static final Duration SHUTDOWN_DEADLINE = Duration.ofSeconds(5);

    private static final System.Logger LOG = System.getLogger("kap.sidecar");

    private final LivePolicy policy;
    private final AuditLog audit;
    private final Map<String, Listener> listeners;
    private final AdminListener admin;
    private final CountDownLatch closed = new CountDownLatch(1);

    private Sidecar(LivePolicy policy, AuditLog audit, Map<String, Listener> listeners, AdminListener admin) {
        this.policy = policy;
        this.audit = audit;
        this.listeners = Map.copyOf(listeners);
        this.admin = admin;
    }

    /**
     * Loads the policy and starts every listener that the configuration enables, then the admin listener. If any
     * listener fails to start, those already started are stopped and the error is thrown.
     *
     * @param options how to start
     * @return the running sidecar
     * @throws IOException if a listener or the audit log cannot be opened
     * @throws kap.policy.ConfigException if the configuration is invalid
     */
    public static Sidecar start(SidecarOptions options) throws IOException {
        long t0 = System.nanoTime();
        LivePolicy policy = LivePolicy.start(options.files(), options.classifier(), options.reloadInterval());
        KapConfig loaded = policy.current().config();
        KapConfig config = options.listen().map(l -> l.applyTo(loaded)).orElse(loaded);
        policy.warnings().forEach(w -> LOG.log(System.Logger.Level.WARNING, "[config] " + w));
        AuditLog audit = null;
        Map<String, Listener> started = new LinkedHashMap<>();
        try {
            audit = AuditLog.open(config.proxy().observe());
            SidecarContext context = new SidecarContext(policy, audit, config, resolver(options.resolver(), policy));
            for (ListenerProvider provider : providers()) {
                if (provider.enabled(config)) {
                    Listener listener = provider.start(context);
                    started.put(provider.name(), listener);
                    LOG.log(System.Logger.Level.INFO, "[sidecar] " + provider.name() + " listening on "
                            + describe(listener.addresses()));
                }
            }
            // the admin status compares reloads with the file as loaded, not with the runtime's addresses
            AdminListener admin = AdminListener.start(config.proxy().adminListen().socketAddress(), policy, loaded,
                    started, audit, options.adminToken());
            LOG.log(System.Logger.Level.INFO, "[sidecar] admin listening on " + describe(List.of(admin.address())));
            LOG.log(System.Logger.Level.INFO, "[sidecar] policy: " + (config.sources().isEmpty()
                    ? "embedded default" : config.sources().stream().map(Object::toString)
                    .collect(Collectors.joining(" + "))) + "; audit log " + audit.file());
            audit.record(new AuditEvent(java.time.Instant.now(), "sidecar", "start", AuditEvent.Outcome.INFO,
                    "sidecar started", Optional.empty(), Optional.empty(), Map.of("listeners",
                    String.join(",", started.keySet()))));
            Sidecar sidecar = new Sidecar(policy, audit, started, admin);
            LOG.log(System.Logger.Level.INFO, "[sidecar] ready in "
                    + java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
            return sidecar;
        } catch (IOException | RuntimeException e) {
            started.values().forEach(l -> l.shutdown(0));
            policy.close();
            if (audit != null) {
                audit.close();
            }
            throw e;
        }
    }

    private static Resolver resolver(Resolver chosen, LivePolicy policy) {
        if (chosen != Resolver.configured()) {
            return chosen;
        }
        return ServiceLoader.load(ResolverProvider.class).findFirst().map(p -> p.create(policy))
                .orElseGet(Resolver::system);
    }

    /**
     * The providers found on the module path, in start order.
     *
     * @return providers
     */
    public static List<ListenerProvider> providers() {
        return ServiceLoader.load(ListenerProvider.class).stream().map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparingInt(ListenerProvider::order).thenComparing(ListenerProvider::name))
                .toList();
    }

    /**
     * A listener by name.
     *
     * @param name listener name, such as {@code egress}
     * @return the listener, or empty if it is not running
     */
    public Optional<Listener> listener(String name) {
        return Optional.ofNullable(listeners.get(name));
    }

    /**
     * The running listeners by name.
     *
     * @return listeners
     */
    public Map<String, Listener> listeners() {
        return listeners;
    }

    /**
     * The admin listener's address.
     *
     * @return bound address
     */
    public InetSocketAddress adminAddress() {
        return admin.address();
    }

    /**
     * The live policy.
     *
     * @return policy
     */
    public LivePolicy policy() {
        return policy;
    }

    /**
     * The audit log.
     *
     * @return log
     */
    public AuditLog audit() {
        return audit;
    }

    /**
     * Blocks until {@link #close()} has finished.
     *
     * @throws InterruptedException if interrupted
     */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /**
     * Stops accepting, gives work in flight a moment, and closes everything within {@link #SHUTDOWN_DEADLINE}.
     */
    @Override
    public void close() {
        if (closed.getCount() == 0) {
            return;
        }
        long grace = SHUTDOWN_DEADLINE.toMillis() - 1000;
        List<Thread> stoppers = new ArrayList<>();
        admin.stop();
        for (Listener listener : listeners.values()) {
            stoppers.add(Thread.ofVirtual().start(() -> listener.shutdown(grace)));
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SHUTDOWN_DEADLINE.toMillis() - 500);
        for (Thread t : stoppers) {
            try {
                t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        policy.close();
        try {
            audit.record(new AuditEvent(java.time.Instant.now(), "sidecar", "stop", AuditEvent.Outcome.INFO,
                    "sidecar stopped", Optional.empty(), Optional.empty(), Map.of()));
            audit.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "[sidecar] closing audit log: " + e);
        }
        LOG.log(System.Logger.Level.INFO, "[sidecar] stopped");
        closed.countDown();
    }

    static String describe(List<InetSocketAddress> addresses) {
        return addresses.stream().map(a -> {
            String host = a.getAddress().getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
        }).collect(Collectors.joining(", "));
    }
}
