package kap.egress.internal;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The cap on open tunnels and connections. */
class LimiterTest {

    @Test
    void refusesAtCapacityAndNeverBlocks() {
        Limiter limiter = new Limiter(2);
        assertThat(limiter.tryAcquire(), notNullValue());
        assertThat(limiter.tryAcquire(), notNullValue());
        assertThat(limiter.tryAcquire(), nullValue());
        assertThat(limiter.inUse(), is(2));
    }

    @Test
    void slotIsReleasedOnceHoweverOftenItIsClosed() {
        Limiter limiter = new Limiter(2);
        Limiter.Slot slot = limiter.tryAcquire();
        limiter.tryAcquire();
        slot.close();
        slot.close();
        slot.close();
        assertThat(limiter.inUse(), is(1));
        assertThat(limiter.tryAcquire(), notNullValue());
        assertThat(limiter.tryAcquire(), nullValue());
    }

    @Test
    void rejectsNonPositiveCapacity() {
        assertThrows(IllegalArgumentException.class, () -> new Limiter(0));
    }

    @Test
    @Timeout(30)
    void neverExceedsCapacityUnderContention() throws Exception {
        Limiter limiter = new Limiter(8);
        AtomicInteger peak = new AtomicInteger();
        AtomicInteger held = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 32; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 2_000; i++) {
                    try (Limiter.Slot slot = limiter.tryAcquire()) {
                        if (slot != null) {
                            peak.accumulateAndGet(held.incrementAndGet(), Math::max);
                            held.decrementAndGet();
                        }
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(peak.get() <= 8, is(true));
        assertThat(limiter.inUse(), is(0));
    }
}
