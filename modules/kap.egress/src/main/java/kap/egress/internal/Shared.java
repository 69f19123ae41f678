package kap.egress.internal;

import java.util.concurrent.atomic.LongAdder;

import kap.policy.LimitsConfig;
import kap.policy.LivePolicy;

/**
 * What every session of one listener shares. Immutable apart from the counters and the thread-safe parts.
 *
 * @param policy the live policy; limits other than the caps are read from it per request
 * @param gate the two-layer judge
 * @param audit where decisions are recorded
 * @param tunnels the tunnel cap
 * @param pool bulk relay buffers
 * @param watchdog idle detection
 * @param counters totals for the status page
 */
record Shared(LivePolicy policy, Gate gate, EgressAudit audit, Limiter tunnels, BufferPool pool, Watchdog watchdog,
              Counters counters) {

    /** The limits in force now. */
    LimitsConfig limits() {
        return policy.current().config().proxy().limits();
    }

    /** Totals since start. */
    record Counters(LongAdder requests, LongAdder tunnels, LongAdder denied, LongAdder internalErrors) {
        Counters() {
            this(new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder());
        }
    }
}
