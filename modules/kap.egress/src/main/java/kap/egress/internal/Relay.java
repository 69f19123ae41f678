package kap.egress.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Copies bytes both ways between a client and an upstream: two symmetric {@link Pipe}s, client to upstream ("up")
 * and upstream to client ("down"), one per virtual thread. Each pipe reads its next chunk only after the last one was
 * written (backpressure), and on end of stream half-closes its destination so the other direction can finish. Any
 * error aborts both: a reset on one side must not leave the other half open.
 */
final class Relay {

    private final Conn client;
    private final Conn upstream;
    private final Pipe up;
    private final Pipe down;
    private final AtomicBoolean aborted = new AtomicBoolean();

    Relay(Conn client, Conn upstream, BufferPool pool) {
        this.client = client;
        this.upstream = upstream;
        this.up = new Pipe(client, upstream, pool);
        this.down = new Pipe(upstream, client, pool);
    }

    /** Starts the down direction on its own virtual thread; the up direction is run by the caller. */
    Thread startDown() {
        return Thread.ofVirtual().name("kap-egress-down").start(() -> run(down));
    }

    /** Runs the up direction on the calling thread, after {@code first} (the inspected first flight) is written. */
    void runUp(byte[] first, int length) {
        try {
            if (length > 0) {
                upstream.write(first, 0, length);
                up.count(length);
            }
        } catch (IOException e) {
            abort();
            return;
        }
        run(up);
    }

    /** Closes both sides at once, which ends both pipes. */
    void abort() {
        if (aborted.compareAndSet(false, true)) {
            client.close();
            upstream.close();
        }
    }

    long bytesUp() {
        return up.bytes();
    }

    long bytesDown() {
        return down.bytes();
    }

    private void run(Pipe pipe) {
        try {
            pipe.copy();
        } catch (IOException | RuntimeException e) {
            abort();
        }
    }

    /**
     * One direction. It reads into a small buffer of its own while traffic is light, and borrows a bulk buffer from
     * the pool while reads come back bigger than the small buffer, returning it as soon as they do not.
     */
    static final class Pipe {
        /** The buffer each direction owns; what an idle tunnel costs. */
        static final int SMALL_SIZE = 1024;

        private final Conn from;
        private final Conn to;
        private final BufferPool pool;
        private volatile long bytes;

        Pipe(Conn from, Conn to, BufferPool pool) {
            this.from = from;
            this.to = to;
            this.pool = pool;
        }

        void copy() throws IOException {
            ByteBuffer small = ByteBuffer.allocate(SMALL_SIZE);
            ByteBuffer bulk = null;
            try {
                while (true) {
                    ByteBuffer buffer = bulk != null ? bulk : small;
                    buffer.clear();
                    int n = from.read(buffer);
                    if (n < 0) {
                        to.shutdownOutput();
                        return;
                    }
                    buffer.flip();
                    to.write(buffer);
                    count(n);
                    if (bulk == null && n == SMALL_SIZE) {
                        bulk = pool.borrow();
                    } else if (bulk != null && n <= SMALL_SIZE) {
                        pool.giveBack(bulk);
                        bulk = null;
                    }
                }
            } finally {
                pool.giveBack(bulk);
            }
        }

        void count(long n) {
            bytes += n;
        }

        long bytes() {
            return bytes;
        }
    }
}
