package kap.runtime.namespace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Relays one connection both ways between two blocking socket channels (a TCP connection and a Unix socket), one
 * virtual thread per direction. Symmetrical: each direction reads the next chunk only after the last one was written
 * (backpressure), passes end of stream on as a half-close, and the pair is closed when both directions are done or
 * either fails.
 */
final class Pump {

    private static final int CHUNK = 16 * 1024;

    private final SocketChannel front;
    private final SocketChannel back;
    private final AtomicInteger open = new AtomicInteger(2);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Runnable onClose;

    private Pump(SocketChannel front, SocketChannel back, Runnable onClose) {
        this.front = front;
        this.back = back;
        this.onClose = onClose;
    }

    /**
     * Starts relaying.
     *
     * @param front the accepted connection
     * @param back the connection to the other side
     * @param onClose run once, after both channels are closed
     */
    static void start(SocketChannel front, SocketChannel back, Runnable onClose) {
        Pump pump = new Pump(front, back, onClose);
        Thread.ofVirtual().name("pump-out").start(() -> pump.copy(front, back));
        Thread.ofVirtual().name("pump-in").start(() -> pump.copy(back, front));
    }

    private void copy(SocketChannel from, SocketChannel to) {
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
            to.shutdownOutput();
            done(false);
        } catch (IOException e) {
            done(true);
        }
    }

    private void done(boolean failed) {
        if (failed) {
            open.set(0);
            closeBoth();
        } else if (open.decrementAndGet() == 0) {
            closeBoth();
        }
    }

    private void closeBoth() {
        if (closed.compareAndSet(false, true)) {
            closeQuietly(front);
            closeQuietly(back);
            onClose.run();
        }
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing after a failure: nothing left to do
        }
    }
}
