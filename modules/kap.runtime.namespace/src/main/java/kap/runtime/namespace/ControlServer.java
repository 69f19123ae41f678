package kap.runtime.namespace;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The control socket in the runtime directory. It accepts exactly one connection, the bridge's, and then disappears,
 * so nothing the command starts later can open a second one.
 */
final class ControlServer implements AutoCloseable {

    private final ServerSocketChannel server;
    private final Path path;

    private ControlServer(ServerSocketChannel server, Path path) {
        this.server = server;
        this.path = path;
    }

    static ControlServer open(Path runtimeDir) throws IOException {
        Path path = runtimeDir.resolve("control.sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path), 1);
        return new ControlServer(server, path);
    }

    Path path() {
        return path;
    }

    /**
     * Waits for the bridge.
     *
     * @param capsule the capsule's process; if it ends first, there is no bridge to wait for
     * @param deadline how long to wait
     * @return the bridge's connection
     * @throws IOException if the capsule ended or the deadline passed first
     */
    ControlChannel accept(Process capsule, Duration deadline) throws IOException {
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                capsule.waitFor(deadline.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                close();
            } catch (InterruptedException e) {
                // accepted in time
            }
        });
        try {
            SocketChannel bridge = server.accept();
            return new ControlChannel(bridge);
        } catch (IOException e) {
            throw new IOException(capsule.isAlive() ? "the capsule did not start within " + deadline.toSeconds()
                    + " s" : "the capsule ended during start-up (exit " + capsule.exitValue() + ")", e);
        } finally {
            watchdog.interrupt();
            close();
        }
    }

    @Override
    public void close() {
        Pump.closeQuietly(server);
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // the runtime directory goes as a whole
        }
    }
}
