package kap.remote;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The daemon's local control socket, {@code control.sock} in its 0700 state directory: one line in, one JSON line
 * out. {@code pair} makes a pairing code (and writes its QR code as {@code pair.png}), {@code reload} re-reads the
 * paired devices (after {@code kap remote revoke}), {@code status} and {@code stop}. Only the user who owns the
 * directory can reach it.
 */
final class RemoteControl implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("kap.remote");

    private final ServerSocketChannel server;
    private final Path socket;
    private final RemoteDaemon daemon;
    private final Path home;
    private volatile boolean closed;

    private RemoteControl(ServerSocketChannel server, Path socket, RemoteDaemon daemon, Path home) {
        this.server = server;
        this.socket = socket;
        this.daemon = daemon;
        this.home = home;
    }

    static RemoteControl start(RemoteDaemon daemon, Path home) throws IOException {
        Path socket = home.resolve("control.sock");
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        RemoteControl control = new RemoteControl(server, socket, daemon, home);
        Thread.ofVirtual().name("kap-remote-control").start(control::accept);
        return control;
    }

    private void accept() {
        while (!closed) {
            try {
                SocketChannel client = server.accept();
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "[remote] control socket: " + e.getMessage());
                }
                return;
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client; BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client),
                StandardCharsets.UTF_8)); OutputStream out = Channels.newOutputStream(client)) {
            String command = in.readLine();
            ObjectNode reply = reply(command == null ? "" : command.strip());
            out.write((reply + "\n").getBytes(StandardCharsets.UTF_8));
            if ("stop".equals(command)) {
                Thread.ofVirtual().start(daemon::close);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "[remote] control request failed: " + e.getMessage());
        }
    }

    private ObjectNode reply(String command) throws IOException {
        switch (command) {
            case "pair" -> {
                RemoteDaemon.Pairing p = daemon.newPairing();
                Path png = home.resolve("pair.png");
                PrivateFiles.write(png, p.qr().png(8));
                return Api.object().put("url", p.url().toString()).put("expires_at", p.expiresAt().toString())
                        .put("png", png.toString());
            }
            case "reload" -> {
                daemon.reloadDevices();
                return Api.object().put("ok", true);
            }
            case "status" -> {
                return Api.object().put("url", daemon.baseUri().toString()).put("streams", daemon.openStreams())
                        .put("pid", ProcessHandle.current().pid());
            }
            case "stop" -> {
                return Api.object().put("stopping", true);
            }
            default -> {
                return Api.object().put("error", "unknown command");
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // closing anyway
        }
    }
}
