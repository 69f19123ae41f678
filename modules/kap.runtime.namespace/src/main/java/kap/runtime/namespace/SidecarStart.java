package kap.runtime.namespace;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import kap.policy.ConfigException;
import kap.policy.ConfigFiles;
import kap.sidecar.ListenOverride;
import kap.sidecar.Sidecar;
import kap.sidecar.SidecarOptions;

/**
 * The sidecar of one {@code kap run}, started on its own thread so that it comes up while the capsule's JVM does,
 * every listener on an ephemeral loopback port whatever {@code kap.toml} says.
 */
final class SidecarStart implements AutoCloseable {

    private final CompletableFuture<Sidecar> future = new CompletableFuture<>();

    private SidecarStart() {
    }

    static SidecarStart begin(ConfigFiles files) {
        SidecarStart start = new SidecarStart();
        Thread.ofPlatform().name("sidecar-start").start(() -> {
            try {
                start.future.complete(Sidecar.start(SidecarOptions.of(files)
                        .withListen(ListenOverride.loopbackEphemeral())));
            } catch (IOException | RuntimeException e) {
                start.future.completeExceptionally(e);
            }
        });
        return start;
    }

    /**
     * Waits for the sidecar.
     *
     * @return the running sidecar
     * @throws IOException if a listener could not start
     * @throws ConfigException if the configuration is invalid
     */
    Sidecar await() throws IOException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case ConfigException config -> throw config;
                case RuntimeException r -> throw r;
                default -> throw new IOException(e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the sidecar started");
        }
    }

    /** Stops the sidecar; after a failure elsewhere it may still be starting, and is stopped once it has. */
    @Override
    public void close() {
        try {
            future.get().close();
        } catch (ExecutionException | RuntimeException e) {
            // it never started: nothing to stop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The services the capsule reaches, with each listener's loopback address (the DNS listener's UDP and TCP share
     * a port).
     *
     * @param sidecar the running sidecar
     * @return addresses by service
     */
    static Map<Service, InetSocketAddress> listeners(Sidecar sidecar) {
        Map<Service, InetSocketAddress> result = new EnumMap<>(Service.class);
        sidecar.listeners().forEach((name, listener) -> Service.ofListener(name)
                .ifPresent(s -> result.put(s, listener.addresses().getFirst())));
        return result;
    }
}
