package kap.policy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Follows an audit log like {@code tail -F}: returns complete new lines on each {@link #poll()}, and keeps following
 * across rotation (it drains the renamed file before moving to the new one) and truncation (it starts over).
 *
 * <p>Not thread-safe; one follower per reader.
 */
public final class AuditFollower implements AutoCloseable {

    /** A line longer than this is dropped as garbage rather than held forever. */
    public static final int MAX_LINE = 1024 * 1024;

    private final Path file;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private FileChannel channel;
    private Object fileKey;
    private long position;
    private long dropped;

    private AuditFollower(Path file) {
        this.file = file;
    }

    /**
     * Starts following.
     *
     * @param file the log path
     * @param fromStart read existing lines first ({@code true}), or only lines written from now on
     * @return the follower
     * @throws IOException if the file exists but cannot be opened
     */
    public static AuditFollower open(Path file, boolean fromStart) throws IOException {
        AuditFollower follower = new AuditFollower(Objects.requireNonNull(file));
        if (follower.tryOpen() && !fromStart) {
            follower.position = follower.channel.size();
        }
        return follower;
    }

    /**
     * Complete lines written since the last poll, without their newlines.
     *
     * @return lines, possibly empty
     * @throws IOException on a read error
     */
    public List<String> poll() throws IOException {
        List<String> lines = new ArrayList<>();
        if (channel == null && !tryOpen()) {
            return lines;
        }
        if (channel.size() < position) {
            // truncated in place: what is there now is new
            position = 0;
            partial.reset();
        }
        drain(lines);
        Object current = currentKey();
        if (current != null && !current.equals(fileKey)) {
            // rotated: the old file is complete; we drained it above, so move on
            channel.close();
            channel = null;
            partial.reset();
            if (tryOpen()) {
                drain(lines);
            }
        }
        return lines;
    }

    /**
     * Lines dropped because they were longer than {@link #MAX_LINE}.
     *
     * @return count
     */
    public long dropped() {
        return dropped;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }

    private void drain(List<String> lines) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        while (true) {
            buffer.clear();
            int n = channel.read(buffer, position);
            if (n <= 0) {
                return;
            }
            position += n;
            byte[] bytes = buffer.array();
            for (int i = 0; i < n; i++) {
                if (bytes[i] == '\n') {
                    if (partial.size() <= MAX_LINE) {
                        lines.add(partial.toString(StandardCharsets.UTF_8));
                    }
                    partial.reset();
                } else if (partial.size() <= MAX_LINE) {
                    partial.write(bytes[i]);
                    if (partial.size() > MAX_LINE) {
                        dropped++;
                    }
                }
            }
        }
    }

    private boolean tryOpen() throws IOException {
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            fileKey = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            position = 0;
            return true;
        } catch (NoSuchFileException e) {
            channel = null;
            return false;
        }
    }

    private Object currentKey() throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
