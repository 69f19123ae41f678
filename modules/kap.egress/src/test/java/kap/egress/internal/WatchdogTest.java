package kap.egress.internal;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Idle detection: quiet connections are reported, busy and cancelled ones are not. */
@Timeout(30)
class WatchdogTest {

    @Test
    void quietConnectionsAreReportedOnce() throws Exception {
        try (Watchdog watchdog = new Watchdog(); SocketPair pair = SocketPair.open()) {
            CountDownLatch fired = new CountDownLatch(1);
            watchdog.watch(Duration.ofMillis(200), fired::countDown, pair.left(), pair.right());
            assertThat(fired.await(5, TimeUnit.SECONDS), is(true));
        }
    }

    @Test
    void activityPostponesTheDeadline() throws Exception {
        try (Watchdog watchdog = new Watchdog(); SocketPair pair = SocketPair.open()) {
            AtomicBoolean fired = new AtomicBoolean();
            Watchdog.Watch watch = watchdog.watch(Duration.ofMillis(300), () -> fired.set(true), pair.left());
            for (int i = 0; i < 10; i++) {
                pair.left().write(new byte[] {1});
                Thread.sleep(100);
            }
            assertThat(fired.get(), is(false));
            watch.close();
        }
    }

    @Test
    void cancelledWatchNeverFires() throws Exception {
        try (Watchdog watchdog = new Watchdog(); SocketPair pair = SocketPair.open()) {
            AtomicBoolean fired = new AtomicBoolean();
            watchdog.watch(Duration.ofMillis(100), () -> fired.set(true), pair.left()).close();
            Thread.sleep(400);
            assertThat(fired.get(), is(false));
        }
    }
}
