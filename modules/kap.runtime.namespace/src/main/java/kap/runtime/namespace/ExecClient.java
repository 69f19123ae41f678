package kap.runtime.namespace;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import kap.cli.spi.Capsule;
import kap.cli.spi.CapsuleShell;
import kap.cli.spi.RuntimeContext;
import kap.runtime.namespace.ControlMessage.Exec;
import kap.runtime.namespace.ControlMessage.ExecResult;
import kap.runtime.namespace.ControlMessage.Failed;

/**
 * The client side of {@link ExecServer}: runs one command in a running {@code kap run} capsule, for
 * {@code CapsuleRuntime.shell}. The socket is found through the capsule's registry record, which is only trusted as
 * far as it names a runtime directory kap would have made: {@code <base>/<id>}, a real directory, owned by this user
 * and private to them; and the server at the other end must be this user too.
 */
final class ExecClient {

    /** The ids {@code kap run} gives its capsules. */
    private static final Pattern ID = Pattern.compile("ns-[0-9a-f]{8}");
    private static final Set<PosixFilePermission> OTHERS = EnumSet.complementOf(EnumSet.of(
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));

    private ExecClient() {
    }

    /**
     * Runs argv in the capsule and waits for it.
     *
     * @param capsule a capsule of this runtime
     * @param context where runtime directories are
     * @param argv program and arguments
     * @param timeout the command is killed in the capsule after this
     * @return exit code and output
     * @throws IOException if the capsule is gone, refuses, or the command timed out
     * @throws IllegalArgumentException if argv or the timeout are beyond {@link Exec}'s limits
     */
    static CapsuleShell.Result run(Capsule capsule, RuntimeContext context, List<String> argv, Duration timeout)
            throws IOException {
        Exec request = new Exec(0, argv, timeout.toMillis());
        Path dir = runtimeDir(capsule, context);
        Path socket = dir.resolve(ExecServer.SOCKET);
        SocketChannel raw;
        try {
            raw = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            throw new IOException("the capsule " + capsule.id() + " has ended (nothing answers at " + socket + ")", e);
        }
        try (ControlChannel channel = new ControlChannel(raw)) {
            if (!ExecServer.peerIs(raw, Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS))) {
                throw new IOException(socket + " is served by another user; refusing to use it");
            }
            channel.send(request);
            // the server answers within the timeout and its grace, or says why not; past that, give up
            Thread watchdog = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(timeout.plus(ExecServer.ANSWER_GRACE).plusSeconds(5));
                    Pump.closeQuietly(channel);
                } catch (InterruptedException e) {
                    // answered in time
                }
            });
            Optional<ControlMessage> answer;
            try {
                answer = channel.receive();
            } catch (IOException e) {
                throw new IOException("the capsule " + capsule.id() + " did not answer: " + e.getMessage(), e);
            } finally {
                watchdog.interrupt();
            }
            return switch (answer.orElse(null)) {
                case ExecResult r when r.timedOut() -> throw new IOException("the command did not finish within "
                        + timeout.toMillis() + " ms and was killed in the capsule " + capsule.id());
                case ExecResult r -> new CapsuleShell.Result(r.exitCode(),
                        new String(r.stdout(), StandardCharsets.UTF_8), new String(r.stderr(), StandardCharsets.UTF_8));
                case Failed f -> throw new IOException(f.message());
                case null -> throw new IOException("the capsule " + capsule.id()
                        + " ended before the command finished");
                default -> throw new IOException("exec.sock answered with " + answer.get());
            };
        }
    }

    /**
     * The capsule's runtime directory, from its record, once it is sure to be one of this user's.
     *
     * @param capsule the capsule
     * @param context where runtime directories are
     * @return the directory
     * @throws IOException if the record names none, or a directory kap did not make, or it is gone
     */
    static Path runtimeDir(Capsule capsule, RuntimeContext context) throws IOException {
        String recorded = capsule.details().get("runtime_dir");
        if (recorded == null) {
            throw new IOException("the record of capsule " + capsule.id() + " names no runtime directory");
        }
        Path dir = Path.of(recorded);
        if (!ID.matcher(capsule.id()).matches() || !dir.isAbsolute() || !dir.equals(dir.normalize())
                || dir.getFileName() == null || !dir.getFileName().toString().equals(capsule.id())
                || !bases(context).contains(dir.getParent())) {
            throw new IOException("the record of capsule " + capsule.id() + " names " + dir
                    + ", which is not a kap runtime directory");
        }
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("the capsule " + capsule.id() + " has ended (its runtime directory is gone)");
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " is not a directory; refusing to use it");
        }
        PosixFileAttributes attributes = Files.readAttributes(dir, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (!attributes.owner().equals(self())
                || attributes.permissions().stream().anyMatch(OTHERS::contains)) {
            throw new IOException(dir + " is not a private directory of yours; refusing to use it");
        }
        return dir;
    }

    /**
     * Where {@code kap run} may have made it: the base for this environment, kap's home, and the login session's
     * runtime directory (the daemon may run without {@code XDG_RUNTIME_DIR} while {@code kap run} had it).
     */
    private static List<Path> bases(RuntimeContext context) throws IOException {
        Number uid = (Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        return List.of(RuntimeDirs.base(context.environment(), context.home()), context.home().resolve("run"),
                Path.of("/run/user", uid.toString(), "kap"));
    }

    private static UserPrincipal self() throws IOException {
        return Files.getOwner(Path.of("/proc/self"));
    }
}
