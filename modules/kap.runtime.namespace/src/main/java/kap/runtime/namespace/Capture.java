package kap.runtime.namespace;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import kap.runtime.namespace.ControlMessage.ExecResult;

/**
 * One output stream of an exec, read to its end on its own thread: the first {@link ExecResult#MAX_OUTPUT} bytes are
 * kept, the rest is read and dropped, so that the process never blocks on a full pipe. A platform thread, because a
 * pipe read blocks its carrier, and a background child that keeps the pipe open may keep the reader for long.
 */
final class Capture {

    private static final int CHUNK = 64 * 1024;

    private final InputStream in;
    private final String name;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final CountDownLatch ended = new CountDownLatch(1);
    private long total;

    private Capture(InputStream in, String name) {
        this.in = in;
        this.name = name;
    }

    /**
     * Starts reading.
     *
     * @param in the stream
     * @param name "stdout" or "stderr", for the truncation note
     * @param onEnd run once the stream has ended (or broken)
     * @return the capture
     */
    static Capture start(InputStream in, String name, Runnable onEnd) {
        Capture capture = new Capture(in, name);
        Thread.ofPlatform().daemon().name("exec-" + name).start(() -> {
            try {
                capture.read();
            } finally {
                capture.ended.countDown();
                onEnd.run();
            }
        });
        return capture;
    }

    private void read() {
        byte[] chunk = new byte[CHUNK];
        try (in) {
            int n;
            while ((n = in.read(chunk)) >= 0) {
                synchronized (this) {
                    int room = (int) Math.max(0, ExecResult.MAX_OUTPUT - total);
                    kept.write(chunk, 0, Math.min(n, room));
                    total += n;
                }
            }
        } catch (IOException e) {
            // the stream was closed under us: what came so far is the output
        }
    }

    /**
     * Waits for the end of the stream.
     *
     * @param deadline a {@link System#nanoTime()} to wait until
     * @return whether it ended
     */
    boolean await(long deadline) {
        try {
            return ended.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ended.getCount() == 0;
        }
    }

    /** The bytes kept so far. */
    synchronized byte[] bytes() {
        return kept.toByteArray();
    }

    /** A note for standard error if bytes were dropped. */
    synchronized Optional<String> truncation() {
        return total <= ExecResult.MAX_OUTPUT ? Optional.empty()
                : Optional.of("kap: " + name + " cut at " + ExecResult.MAX_OUTPUT + " of " + total + " bytes\n");
    }
}
