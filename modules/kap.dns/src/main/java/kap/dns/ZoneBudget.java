package kap.dns;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exfiltration guard: how many unique names each zone may send upstream in any sliding minute. A zone is the
 * allow rule that matched ({@code *.example.com}, or an exact name), so the budget holds inside wildcard zones. A
 * name already seen in the last minute costs nothing; a new one over budget is refused. Memory is bounded: a zone
 * remembers at most {@code budget} names, and idle zones are dropped when the table grows.
 */
final class ZoneBudget {

    /** The window. */
    static final long WINDOW_NANOS = 60_000_000_000L;
    private static final int MAX_ZONES = 10_000;

    private final ConcurrentHashMap<String, Zone> zones = new ConcurrentHashMap<>();

    /** What the budget says about one name. */
    enum Verdict {
        /** Within budget. */
        ADMIT,
        /** Over budget; the first refusal in this zone in this minute, so an alert goes to the phone. */
        REFUSE_AND_ALERT,
        /** Over budget. */
        REFUSE
    }

    /**
     * Charges a name to its zone.
     *
     * @param zone the zone (the matching allow rule)
     * @param name the normalised name
     * @param budget unique names per minute
     * @param nowNanos {@link System#nanoTime()}
     * @return the verdict
     */
    Verdict charge(String zone, String name, int budget, long nowNanos) {
        Zone z = zones.get(zone);
        if (z == null) {
            if (zones.size() >= MAX_ZONES) {
                zones.values().removeIf(idle -> idle.empty(nowNanos));
            }
            z = zones.computeIfAbsent(zone, k -> new Zone());
        }
        return z.charge(name, budget, nowNanos);
    }

    private static final class Zone {
        /** Names in the order first seen, with when; the head is the oldest. */
        private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();
        private long lastAlert = Long.MIN_VALUE;
        private boolean alerted;

        synchronized Verdict charge(String name, int budget, long now) {
            expire(now);
            if (seen.containsKey(name)) {
                return Verdict.ADMIT;
            }
            if (seen.size() < budget) {
                seen.put(name, now);
                return Verdict.ADMIT;
            }
            if (!alerted || now - lastAlert >= WINDOW_NANOS) {
                alerted = true;
                lastAlert = now;
                return Verdict.REFUSE_AND_ALERT;
            }
            return Verdict.REFUSE;
        }

        synchronized boolean empty(long now) {
            expire(now);
            return seen.isEmpty();
        }

        private void expire(long now) {
            Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator();
            while (it.hasNext() && now - it.next().getValue() >= WINDOW_NANOS) {
                it.remove();
            }
        }
    }
}
