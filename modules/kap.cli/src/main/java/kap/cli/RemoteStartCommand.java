package kap.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import kap.cli.spi.RuntimeProvider;
import kap.mcp.AuthStore;
import kap.mcp.PinStore;
import kap.remote.LanAddress;
import kap.remote.RemoteDaemon;
import kap.remote.RemoteHome;
import kap.remote.RemoteOptions;

/**
 * {@code kap remote start}: starts the daemon in the background (or in the foreground) and shows a pairing QR code.
 */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = {"Start the remote daemon and show a QR code to pair a phone.",
                "It listens on this machine's LAN address, port 19420, and runs in the background unless "
                        + "--foreground is given. If it already runs, a new pairing code is shown."})
final class RemoteStartCommand implements Callable<Integer> {

    @Mixin
    RemoteCommand.Home home;

    @Option(names = "--listen", paramLabel = "ADDRESS",
            description = "address to listen on (default: the LAN address; 0.0.0.0 for every interface)")
    String listen;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "19420",
            description = "port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--host", paramLabel = "NAME",
            description = "a name or address the phone uses to reach this machine; repeatable, the first goes in the"
                    + " QR code (default: the listen address). Requests naming any other host are refused")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain for HTTPS")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key (PKCS#8) for HTTPS")
    Path tlsKey;

    @Option(names = "--pairing-ttl", paramLabel = "SECONDS", defaultValue = "300",
            description = "how long a pairing code works (default: ${DEFAULT-VALUE})")
    long pairingTtl;

    @Option(names = "--foreground", description = "run in this process until Ctrl-C")
    boolean foreground;

    @Override
    public Integer call() throws Exception {
        RemoteHome h = home.home();
        Optional<Long> running = h.runningPid();
        if (running.isPresent()) {
            System.err.println("[remote] already running (pid " + running.get() + ")");
            return pair(h);
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            System.err.println("kap: --tls-cert and --tls-key go together");
            return 2;
        }
        return foreground ? runHere(h) : spawn(h);
    }

    private int runHere(RemoteHome h) throws Exception {
        String bind = listen != null ? listen : LanAddress.detect().orElseGet(() -> {
            System.err.println("[remote] warning: no LAN address found; listening on 127.0.0.1 only (use --listen)");
            return "127.0.0.1";
        });
        List<String> names = hosts.isEmpty() ? List.of(bind.equals("0.0.0.0")
                ? LanAddress.detect().orElse("127.0.0.1") : bind) : hosts;
        RemoteOptions options = new RemoteOptions(h.dir(), bind, port, names, Optional.empty(),
                new RegistryCapsules(Path.of(System.getProperty("user.home"), ".kap"),
                        ServiceLoader.load(RuntimeProvider.class).stream().map(ServiceLoader.Provider::get).toList()),
                (server, tool) -> PinStore.at(AuthStore.defaultDir()).approve(server, tool),
                Duration.ofSeconds(pairingTtl));
        if (tlsCert != null) {
            options = options.withTls(new RemoteOptions.TlsFiles(tlsCert, tlsKey));
        }
        RemoteDaemon daemon = RemoteDaemon.start(options);
        h.writePid();
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            daemon.close();
            try {
                h.removePid();
            } catch (IOException e) {
                // the next start cleans a stale pid file
            }
        }));
        System.err.println("[remote] listening on " + daemon.baseUri());
        pair(h);
        daemon.awaitClosed();
        h.removePid();
        return 0;
    }

    /** Starts this same command with --foreground as a background process, and waits until it answers. */
    private int spawn(RemoteHome h) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString())));
        String modulePath = System.getProperty("jdk.module.path", "");
        if (!modulePath.isBlank()) {
            command.addAll(List.of("--module-path", modulePath, "--add-modules", "ALL-MODULE-PATH"));
        }
        command.addAll(List.of("-m", "kap.cli/kap.cli.Main", "remote", "start", "--foreground",
                "--home", h.dir().toString(), "--port", Integer.toString(port),
                "--pairing-ttl", Long.toString(pairingTtl)));
        if (listen != null) {
            command.addAll(List.of("--listen", listen));
        }
        hosts.forEach(n -> command.addAll(List.of("--host", n)));
        if (tlsCert != null) {
            command.addAll(List.of("--tls-cert", tlsCert.toString(), "--tls-key", tlsKey.toString()));
        }
        java.nio.file.Files.createDirectories(h.dir());
        Process child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(h.log().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                System.err.println("kap: the daemon did not start; see " + h.log());
                return 1;
            }
            Optional<JsonNode> status = h.send("status");
            if (status.isPresent() && status.get().path("pid").asLong() == child.pid()) {
                System.err.println("[remote] started (pid " + child.pid() + ") on " + status.get().path("url").asText()
                        + "; log: " + h.log());
                return pair(h);
            }
            Thread.sleep(100);
        }
        System.err.println("kap: the daemon did not answer within 30 s; see " + h.log());
        return 1;
    }

    private static int pair(RemoteHome h) throws IOException {
        Optional<JsonNode> pairing = h.send("pair");
        if (pairing.isEmpty()) {
            System.err.println("kap: the daemon does not answer on " + h.dir().resolve("control.sock"));
            return 1;
        }
        RemoteCommand.printPairing(pairing.get(), System.out);
        return 0;
    }
}
