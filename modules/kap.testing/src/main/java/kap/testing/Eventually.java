package kap.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition with a hard deadline, for tests of things that happen on another thread.
 */
public final class Eventually {

    private Eventually() {
    }

    /**
     * Polls every 10 ms until the condition holds or the deadline passes.
     *
     * @return how long it took, or {@code null} if the deadline passed
     */
    public static Duration within(Duration deadline, BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(10);
        }
        return condition.getAsBoolean() ? Duration.ofNanos(System.nanoTime() - start) : null;
    }
}
