package kap.mcp.internal;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes what stalls: each watched resource has a deadline that progress pushes back; a sweep every 250 ms closes
 * those past theirs. Blocking reads on sockets cannot be timed out otherwise, and a virtual thread parked on one
 * forever is a leak a peer controls. Thread-safe.
 */
final class Watchdog implements AutoCloseable {

    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private final Thread sweeper;
    private volatile boolean closed;

    Watchdog() {
        sweeper = Thread.ofPlatform().daemon().name("kap-mcp-watchdog").start(this::sweep);
    }

    /** One watched resource; close it when the work is done. */
    final class Watch implements AutoCloseable {
        private final Closeable target;
        private final long timeoutNanos;
        private volatile long deadline;
        private volatile boolean fired;

        private Watch(Closeable target, Duration timeout) {
            this.target = target;
            this.timeoutNanos = timeout.toNanos();
            touch();
        }

        /** Progress: the deadline moves to now plus the timeout. */
        void touch() {
            deadline = System.nanoTime() + timeoutNanos;
        }

        boolean fired() {
            return fired;
        }

        @Override
        public void close() {
            watches.remove(this);
        }
    }

    Watch watch(Closeable target, Duration timeout) {
        Watch w = new Watch(target, timeout);
        watches.add(w);
        return w;
    }

    private void sweep() {
        while (!closed) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Watch w : watches) {
                if (now - w.deadline > 0) {
                    w.fired = true;
                    watches.remove(w);
                    try {
                        w.target.close();
                    } catch (IOException | RuntimeException ignored) {
                        // closing is best effort; the reader sees the failure
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        sweeper.interrupt();
    }
}
