package kap.egress.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cap on things open at once (connections, tunnels). {@link #tryAcquire} never blocks: at the cap the caller
 * answers 429 at once rather than queueing work a client controls. A slot is released exactly once, however many
 * times it is closed, so an error path that closes twice cannot open the cap wider.
 */
final class Limiter {

    private final int capacity;
    private final AtomicInteger inUse = new AtomicInteger();

    Limiter(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /** A held slot; closing it releases the slot once. */
    final class Slot implements AutoCloseable {
        private final AtomicBoolean released = new AtomicBoolean();

        private Slot() {
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                inUse.decrementAndGet();
            }
        }
    }

    /**
     * Takes a slot if one is free.
     *
     * @return the slot, or {@code null} at the cap
     */
    Slot tryAcquire() {
        while (true) {
            int now = inUse.get();
            if (now >= capacity) {
                return null;
            }
            if (inUse.compareAndSet(now, now + 1)) {
                return new Slot();
            }
        }
    }

    int inUse() {
        return inUse.get();
    }

    int capacity() {
        return capacity;
    }
}
