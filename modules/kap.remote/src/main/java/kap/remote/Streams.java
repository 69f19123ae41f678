package kap.remote;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The open event streams, by device, so revoking a device closes its streams at once, and stopping the daemon closes
 * them all.
 *
 * <p>Thread-safe.
 */
final class Streams {

    /** Frames buffered per stream; a phone that falls further behind is disconnected and catches up on reconnect. */
    static final int QUEUE = 1000;
    /** Seconds between heartbeat comments, which show a dead connection. */
    static final int HEARTBEAT_SECONDS = 15;
    /** Streams one device may hold open. */
    static final int MAX_PER_DEVICE = 8;

    private final Map<String, Set<Stream>> byDevice = new ConcurrentHashMap<>();

    Stream open(String device) {
        Set<Stream> mine = byDevice.computeIfAbsent(device, d -> ConcurrentHashMap.newKeySet());
        if (mine.size() >= MAX_PER_DEVICE) {
            throw new ApiException(429, "too many open streams for this device");
        }
        Stream s = new Stream(device);
        mine.add(s);
        return s;
    }

    void closeDevice(String device) {
        Set<Stream> mine = byDevice.remove(device);
        if (mine != null) {
            mine.forEach(Stream::close);
        }
    }

    void closeAll() {
        byDevice.keySet().forEach(this::closeDevice);
    }

    int open() {
        return byDevice.values().stream().mapToInt(Set::size).sum();
    }

    /** What a stream asks for every second while it is idle, such as new lines of a session file. */
    @FunctionalInterface
    interface Poll {
        List<String> frames() throws IOException;
    }

    /** One open stream. */
    final class Stream implements AutoCloseable {

        private final String device;
        private final BlockingQueue<String> frames = new ArrayBlockingQueue<>(QUEUE);
        private volatile boolean closed;

        private Stream(String device) {
            this.device = device;
        }

        void offer(String frame) {
            if (!frames.offer(frame)) {
                closed = true;
            }
        }

        /** Writes frames until the stream is closed or the client goes away. */
        void pump(OutputStream out, Poll poll) throws IOException, InterruptedException {
            int idle = 0;
            while (!closed) {
                String frame = frames.poll(1, TimeUnit.SECONDS);
                if (closed) {
                    return;
                }
                StringBuilder batch = new StringBuilder();
                for (; frame != null; frame = frames.poll()) {
                    batch.append(frame);
                }
                for (String f : poll.frames()) {
                    batch.append(f);
                }
                if (batch.isEmpty() && ++idle >= HEARTBEAT_SECONDS) {
                    batch.append(":\n\n");
                }
                if (!batch.isEmpty()) {
                    idle = 0;
                    out.write(batch.toString().getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        }

        boolean closed() {
            return closed;
        }

        @Override
        public void close() {
            closed = true;
            // wakes the writer at once, so a revoked device's stream ends now, not at the next poll
            frames.offer("");
            Set<Stream> mine = byDevice.get(device);
            if (mine != null) {
                mine.remove(this);
            }
        }
    }
}
