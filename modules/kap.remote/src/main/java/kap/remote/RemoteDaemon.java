package kap.remote;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;

import kap.policy.AuditEvent;
import kap.policy.AuditLog;

/**
 * The remote daemon: the phone UI and its API on the LAN (Helidon WebServer), paired devices, live events from every
 * sidecar, approvals, and agent timelines. See {@code docs/REMOTE.md}.
 *
 * <p>Start it with {@link #start(RemoteOptions)}; {@link #newPairing()} makes a pairing code and its QR code;
 * {@link #close()} stops it and closes every open stream.
 */
public final class RemoteDaemon implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("kap.remote");

    private final RemoteOptions options;
    private final WebServer server;
    private final PairingCodes codes;
    private final DeviceStore devices;
    private final Streams streams;
    private final SidecarLinks links;
    private final AuditLog audit;
    private final Thread watcher;
    private final CountDownLatch closed = new CountDownLatch(1);
    private RemoteControl control;

    private RemoteDaemon(RemoteOptions options, WebServer server, PairingCodes codes, DeviceStore devices,
                         Streams streams, SidecarLinks links, AuditLog audit) {
        this.options = options;
        this.server = server;
        this.codes = codes;
        this.devices = devices;
        this.streams = streams;
        this.links = links;
        this.audit = audit;
        this.watcher = Thread.ofVirtual().name("kap-remote-devices").unstarted(this::watchDevices);
    }

    /**
     * Starts the daemon.
     *
     * @param options how to run
     * @return the running daemon
     * @throws IOException if the state directory or files cannot be opened
     * @throws IllegalArgumentException if the TLS files cannot be read
     */
    public static RemoteDaemon start(RemoteOptions options) throws IOException {
        Path home = PrivateFiles.directory(options.home());
        DeviceStore devices = DeviceStore.open(home.resolve("devices.json"));
        AuditLog audit = AuditLog.open(home.resolve("audit.jsonl"), 10L * 1024 * 1024, 3);
        EventHub hub = new EventHub();
        Streams streams = new Streams();
        Approvals approvals = new Approvals(hub, audit, options.pins());
        SidecarLinks links = new SidecarLinks(options.capsules(), hub, approvals::observe);
        PairingCodes codes = new PairingCodes(options.pairingTtl());
        devices.onRevoke(d -> {
            streams.closeDevice(d.id());
            audit.record(new AuditEvent(Instant.now(), "remote", d.name() + " (" + d.id() + ")",
                    AuditEvent.Outcome.INFO, "device revoked", Optional.empty(), Optional.empty(), Map.of()));
        });
        CapsuleApi capsuleApi = new CapsuleApi(links, hub, streams);
        Guard guard = new Guard(hosts(options), options.tls().isPresent() ? "https" : "http", devices);
        HttpRouting.Builder routing = HttpRouting.builder().addFilter(guard)
                .error(Throwable.class, (req, res, t) -> Api.error(res, t));
        new PairApi(codes, devices, audit).routes(routing);
        capsuleApi.routes(routing);
        new ApprovalApi(approvals, links).routes(routing);
        new AgentApi(capsuleApi, options.capsules(), streams).routes(routing);
        UiRoutes.routes(routing);
        routing.any("/api/*", (req, res) -> {
            throw ApiException.notFound("not found");
        });
        WebServerConfig.Builder builder = WebServer.builder().host(options.bind()).port(options.port())
                .shutdownHook(false).maxPayloadSize(64 * 1024).routing(routing);
        options.tls().ifPresent(files -> builder.tls(tls(files)));
        WebServer server = builder.build().start();
        RemoteDaemon daemon = new RemoteDaemon(options, server, codes, devices, streams, links, audit);
        links.start();
        daemon.watcher.start();
        daemon.control = RemoteControl.start(daemon, home);
        LOG.log(System.Logger.Level.INFO, "[remote] listening on " + daemon.baseUri());
        return daemon;
    }

    /**
     * The port the daemon listens on.
     *
     * @return port
     */
    public int port() {
        return server.port();
    }

    /**
     * The daemon's address for the phone: the scheme, the first host of the options and the port.
     *
     * @return base URI, ending with {@code /}
     */
    public URI baseUri() {
        String host = options.hosts().getFirst();
        return URI.create((options.tls().isPresent() ? "https" : "http") + "://"
                + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/");
    }

    /**
     * Makes a pairing code: single use, valid for the options' pairing TTL.
     *
     * @return the code, its URL and its QR code
     */
    public Pairing newPairing() {
        PairingCodes.Code code = codes.issue();
        URI url = baseUri().resolve("/#pair=" + code.code());
        return new Pairing(url, code.expiresAt(), QrCode.encode(url.toString()));
    }

    /**
     * Re-reads the paired devices now; a device revoked by another process loses its streams at once.
     *
     * @throws IOException if the file cannot be read
     */
    public void reloadDevices() throws IOException {
        devices.reload();
    }

    /**
     * Streams open now, for status.
     *
     * @return count
     */
    public int openStreams() {
        return streams.open();
    }

    /**
     * Blocks until the daemon is closed.
     *
     * @throws InterruptedException if interrupted
     */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    @Override
    public synchronized void close() {
        if (closed.getCount() == 0) {
            return;
        }
        watcher.interrupt();
        if (control != null) {
            control.close();
        }
        links.close();
        streams.closeAll();
        server.stop();
        try {
            audit.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "[remote] closing audit log: " + e.getMessage());
        }
        closed.countDown();
    }

    private void watchDevices() {
        while (true) {
            try {
                Thread.sleep(500);
                devices.reload();
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "[remote] cannot read devices: " + e.getMessage());
            }
        }
    }

    private static Set<String> hosts(RemoteOptions options) {
        Set<String> hosts = new HashSet<>();
        List<String> all = new java.util.ArrayList<>(options.hosts());
        if (!options.bind().equals("0.0.0.0") && !options.bind().equals("::")) {
            all.add(options.bind());
        }
        for (String h : all) {
            String lower = h.toLowerCase(Locale.ROOT);
            hosts.add(lower.contains(":") && !lower.startsWith("[") ? "[" + lower + "]" : lower);
        }
        return hosts;
    }

    private static Tls tls(RemoteOptions.TlsFiles files) {
        Keys keys = Keys.builder().pem(pem -> pem.key(Resource.create(files.key()))
                .certChain(Resource.create(files.certificate()))).build();
        return Tls.builder().privateKey(keys).privateKeyCertChain(keys).build();
    }

    /**
     * A pairing code, ready to show.
     *
     * @param url the URL the phone opens: the daemon's address with the code in the fragment, which browsers never
     *         send to a server or put in a Referer
     * @param expiresAt when the code stops working
     * @param qr the URL as a QR code
     */
    public record Pairing(URI url, Instant expiresAt, QrCode qr) {
    }
}
