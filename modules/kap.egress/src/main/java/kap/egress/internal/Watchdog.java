package kap.egress.internal;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Closes exchanges that stop moving. One timer thread serves every tunnel and forwarded request: each watch checks,
 * at the moment its connections could first have gone idle, whether they did, and otherwise sleeps until the new
 * moment. A write stuck on a client that never reads counts as idle too, so it cannot hold a tunnel forever.
 */
final class Watchdog implements AutoCloseable {

    private final ScheduledThreadPoolExecutor timer;

    Watchdog() {
        timer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("kap-egress-watchdog")
                .factory());
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** A running watch; cancel it when the exchange ends. */
    interface Watch extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Calls {@code onIdle} once if none of the connections moves a byte for {@code idle}.
     *
     * @param idle idle limit
     * @param onIdle what to do, typically closing the connections
     * @param conns the connections whose activity counts
     * @return the watch
     */
    Watch watch(Duration idle, Runnable onIdle, Conn... conns) {
        long idleNanos = idle.toNanos();
        var task = new Check(idleNanos, onIdle, conns);
        task.schedule(idleNanos);
        return task;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private final class Check implements Runnable, Watch {
        private final long idleNanos;
        private final Runnable onIdle;
        private final Conn[] conns;
        private volatile ScheduledFuture<?> next;
        private volatile boolean cancelled;

        Check(long idleNanos, Runnable onIdle, Conn[] conns) {
            this.idleNanos = idleNanos;
            this.onIdle = onIdle;
            this.conns = conns;
        }

        void schedule(long delayNanos) {
            if (cancelled) {
                return;
            }
            try {
                next = timer.schedule(this, Math.max(delayNanos, 1), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // shutting down: the listener closes every connection itself
            }
        }

        @Override
        public void run() {
            long last = Long.MIN_VALUE;
            for (Conn c : conns) {
                last = Math.max(last, c.lastActive());
            }
            long idleFor = System.nanoTime() - last;
            if (idleFor >= idleNanos) {
                if (!cancelled) {
                    onIdle.run();
                }
            } else {
                schedule(idleNanos - idleFor);
            }
        }

        @Override
        public void close() {
            cancelled = true;
            ScheduledFuture<?> f = next;
            if (f != null) {
                f.cancel(false);
            }
        }
    }
}
