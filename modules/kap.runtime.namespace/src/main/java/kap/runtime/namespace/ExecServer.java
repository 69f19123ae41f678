package kap.runtime.namespace;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

import kap.runtime.namespace.ControlMessage.Exec;
import kap.runtime.namespace.ControlMessage.ExecResult;
import kap.runtime.namespace.ControlMessage.Failed;

/**
 * {@code exec.sock} in the capsule's runtime directory, in the {@code kap run} process: how {@code kap remote} runs a
 * command in a running capsule ({@code CapsuleRuntime.shell}, {@link ExecClient}). One request per connection, in the
 * control protocol's frames: the client sends an {@link Exec} (id 0), this passes it to the bridge under a fresh id,
 * and answers with the bridge's {@link ExecResult}, or a {@link Failed} saying why there is none. The bridge runs it
 * exactly as confined as the command ({@link BridgeExec}); nothing runs on the host.
 *
 * <p>Only the user who runs {@code kap run} may connect: the directory is 0700, and the peer's credentials
 * ({@code SO_PEERCRED}) must name the directory's owner, so that a socket reached some other way (root's bind mounts,
 * a descriptor passed on) still refuses others. The runtime directory is visible inside the capsule (the bridge needs
 * its sockets), but the command cannot open Unix sockets; with {@code --unsafe-allow-unix-sockets} it could, and would
 * gain nothing it does not have: a command exactly as confined as itself.
 */
final class ExecServer implements AutoCloseable {

    /** The socket's name in the runtime directory. */
    static final String SOCKET = "exec.sock";
    /** Connections served at once, as many as the bridge runs. */
    static final int MAX_CLIENTS = BridgeExec.MAX_RUNNING;
    /** How long a client has to send its request once connected. */
    static final Duration REQUEST_DEADLINE = Duration.ofSeconds(10);
    /** How long past the command's timeout the bridge has to answer: the kill, the output's grace, the transfer. */
    static final Duration ANSWER_GRACE = Duration.ofSeconds(15);
    private static final int KAP_FAILED = 125;

    private final ServerSocketChannel server;
    private final Path path;
    private final ControlChannel bridge;
    private final UserPrincipal owner;
    private final Map<Integer, CompletableFuture<ExecResult>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final Semaphore slots = new Semaphore(MAX_CLIENTS);
    private volatile boolean closed;

    private ExecServer(ServerSocketChannel server, Path path, ControlChannel bridge, UserPrincipal owner) {
        this.server = server;
        this.path = path;
        this.bridge = bridge;
        this.owner = owner;
    }

    /**
     * Opens the socket and starts accepting.
     *
     * @param runtimeDir the capsule's runtime directory, which this process made
     * @param bridge the bridge's control connection
     * @return the server
     * @throws IOException if the socket cannot be made
     */
    static ExecServer open(Path runtimeDir, ControlChannel bridge) throws IOException {
        UserPrincipal owner = Files.getOwner(runtimeDir, LinkOption.NOFOLLOW_LINKS);
        Path path = runtimeDir.resolve(SOCKET);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path), MAX_CLIENTS);
        } catch (IOException e) {
            Pump.closeQuietly(server);
            throw e;
        }
        ExecServer exec = new ExecServer(server, path, bridge, owner);
        Thread.ofVirtual().name("exec-accept").start(exec::accept);
        return exec;
    }

    /**
     * Hands the bridge's answer to the client waiting for it.
     *
     * @param result the answer
     */
    void complete(ExecResult result) {
        CompletableFuture<ExecResult> waiting = pending.get(result.id());
        if (waiting != null) {
            waiting.complete(result);
        }
        // else the client gave up waiting: the answer is dropped
    }

    /**
     * Whether a connected peer runs as this user.
     *
     * @param channel a Unix socket connection
     * @param user the user it must be
     * @return {@code true} if the kernel says so; {@code false} if not or if it cannot tell
     */
    static boolean peerIs(SocketChannel channel, UserPrincipal user) {
        try {
            UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
            return peer != null && user.equals(peer.user());
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private void accept() {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            if (!peerIs(client, owner)) {
                System.getLogger("kap.run").log(System.Logger.Level.WARNING, "[run] exec.sock refused a client "
                        + "that is not " + owner.getName());
                Pump.closeQuietly(client);
            } else if (!slots.tryAcquire()) {
                // a few bytes fit in the socket's buffer: this never blocks the accept loop
                answer(new ControlChannel(client), new Failed(KAP_FAILED, "kap: " + MAX_CLIENTS
                        + " commands already run in this capsule; try again"));
                Pump.closeQuietly(client);
            } else {
                Thread.ofVirtual().name("exec-client").start(() -> {
                    try (ControlChannel channel = new ControlChannel(client)) {
                        serve(channel);
                    } catch (IOException e) {
                        // the client went away
                    } finally {
                        slots.release();
                    }
                });
            }
        }
    }

    private void serve(ControlChannel client) {
        Optional<ControlMessage> request = receive(client);
        if (request.isEmpty() || !(request.get() instanceof Exec exec)) {
            answer(client, new Failed(KAP_FAILED, "kap: exec.sock takes one exec request within "
                    + REQUEST_DEADLINE.toSeconds() + " s"));
            return;
        }
        int id = ids.incrementAndGet();
        CompletableFuture<ExecResult> result = new CompletableFuture<>();
        pending.put(id, result);
        try {
            if (closed) {
                throw new IOException("closed");
            }
            bridge.send(new Exec(id, exec.argv(), exec.timeoutMillis()));
            ExecResult r = result.get(exec.timeoutMillis() + ANSWER_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            answer(client, new ExecResult(0, r.exitCode(), r.timedOut(), r.stdout(), r.stderr()));
        } catch (IOException | ExecutionException e) {
            answer(client, new Failed(KAP_FAILED, "kap: the capsule ended before the command finished"));
        } catch (TimeoutException e) {
            answer(client, new Failed(KAP_FAILED, "kap: the capsule did not answer within "
                    + (exec.timeoutMillis() + ANSWER_GRACE.toMillis()) + " ms"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pending.remove(id);
        }
    }

    /** The client's request, or empty if it sends none in time (the connection is closed then) or a broken one. */
    private static Optional<ControlMessage> receive(ControlChannel client) {
        CompletableFuture<Optional<ControlMessage>> request = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                request.complete(client.receive());
            } catch (IOException e) {
                request.complete(Optional.empty());
            }
        });
        try {
            return request.get(REQUEST_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static void answer(ControlChannel client, ControlMessage message) {
        try {
            client.send(message);
        } catch (IOException e) {
            // the client went away
        }
    }

    /** No more requests; those waiting are told that the capsule has ended. */
    @Override
    public void close() {
        closed = true;
        Pump.closeQuietly(server);
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // the runtime directory goes as a whole
        }
        pending.values().forEach(f -> f.completeExceptionally(new IOException("the capsule has ended")));
    }
}
