package kap.policy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The audit log: one JSON line per event, appended and flushed to the OS as it happens, rotated by size
 * ({@code proxy.jsonl} becomes {@code proxy.jsonl.1}, and so on, up to {@code keep} files). In-process subscribers
 * (the admin event stream) get each event after it is written.
 *
 * <p>Thread-safe. A failing disk never fails a request: write errors are counted and reported once.
 */
public final class AuditLog implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("kap.policy");

    private final Path file;
    private final long maxBytes;
    private final int keep;
    private final List<Consumer<AuditEvent>> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicLong failures = new AtomicLong();
    private FileChannel channel;
    private long size;

    private AuditLog(Path file, long maxBytes, int keep) {
        this.file = file;
        this.maxBytes = maxBytes;
        this.keep = keep;
    }

    /**
     * Opens (creating directories as needed) a log.
     *
     * @param file log path
     * @param maxBytes rotate when the file would grow past this
     * @param keep rotated files kept
     * @return the log
     * @throws IOException if the file cannot be opened
     */
    public static AuditLog open(Path file, long maxBytes, int keep) throws IOException {
        AuditLog log = new AuditLog(Objects.requireNonNull(file), maxBytes, keep);
        log.openChannel();
        return log;
    }

    /**
     * Opens the log configured in {@code [proxy.observe]}.
     *
     * @param observe settings
     * @return the log
     * @throws IOException if the file cannot be opened
     */
    public static AuditLog open(ObserveConfig observe) throws IOException {
        return open(observe.log(), observe.logMaxBytes(), observe.logKeep());
    }

    /**
     * The log file.
     *
     * @return path
     */
    public Path file() {
        return file;
    }

    /**
     * Writes one event and passes it to subscribers.
     *
     * @param event the event
     */
    public void record(AuditEvent event) {
        byte[] line = (event.toJson() + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            try {
                if (size > 0 && size + line.length > maxBytes) {
                    rotate();
                }
                ByteBuffer buffer = ByteBuffer.wrap(line);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                size += line.length;
            } catch (IOException | RuntimeException e) {
                if (failures.getAndIncrement() == 0) {
                    LOG.log(System.Logger.Level.ERROR, "[audit] cannot write " + file + ": " + e);
                }
            }
        }
        for (Consumer<AuditEvent> s : subscribers) {
            try {
                s.accept(event);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "[audit] subscriber failed: " + e);
            }
        }
    }

    /**
     * Subscribes to events written from now on.
     *
     * @param subscriber called on the writing thread; must be quick and must not block
     * @return closing it unsubscribes
     */
    public AutoCloseable subscribe(Consumer<AuditEvent> subscriber) {
        subscribers.add(Objects.requireNonNull(subscriber));
        return () -> subscribers.remove(subscriber);
    }

    /**
     * Events that could not be written.
     *
     * @return count
     */
    public long failures() {
        return failures.get();
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }

    private void rotate() throws IOException {
        channel.close();
        Files.deleteIfExists(rotated(keep));
        for (int i = keep - 1; i >= 1; i--) {
            if (Files.exists(rotated(i))) {
                Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
        openChannel();
    }

    private Path rotated(int index) {
        return file.resolveSibling(file.getFileName() + "." + index);
    }

    private void openChannel() throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        size = channel.size();
    }
}
