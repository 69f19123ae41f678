package kap.remote;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pairing codes: 128 random bits, each good for one pairing within its lifetime. A code only pairs; it never opens
 * the API (the original's pairing token did). Failed attempts are limited per client address and overall, and a
 * client over its limit is refused even with a right code until the window passes, so guessing gets nowhere.
 *
 * <p>Thread-safe.
 */
final class PairingCodes {

    /** Codes outstanding at once; the oldest goes first. */
    static final int MAX_OUTSTANDING = 8;
    /** Failed attempts per client address per {@link #WINDOW}. */
    static final int MAX_FAILURES_PER_CLIENT = 5;
    /** Failed attempts from everyone per {@link #WINDOW}. */
    static final int MAX_FAILURES = 30;
    /** The rate-limit window. */
    static final Duration WINDOW = Duration.ofMinutes(1);
    /** Client addresses tracked at once. */
    static final int MAX_CLIENTS = 1024;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Duration ttl;
    private final Map<String, Instant> codes = new LinkedHashMap<>();
    private final Map<String, Deque<Instant>> failuresByClient = new LinkedHashMap<>();
    private final Deque<Instant> failures = new ArrayDeque<>();

    PairingCodes(Duration ttl) {
        this.ttl = ttl;
    }

    /** A new code. */
    synchronized Code issue() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String code = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant expires = Instant.now().plus(ttl);
        prune(Instant.now());
        while (codes.size() >= MAX_OUTSTANDING) {
            codes.remove(codes.keySet().iterator().next());
        }
        codes.put(code, expires);
        return new Code(code, expires);
    }

    /** Uses up a code. */
    synchronized Outcome redeem(String code, String client) {
        Instant now = Instant.now();
        prune(now);
        Deque<Instant> mine = failuresByClient.get(client);
        if (failures.size() >= MAX_FAILURES || (mine != null && mine.size() >= MAX_FAILURES_PER_CLIENT)) {
            return Outcome.RATE_LIMITED;
        }
        String match = null;
        byte[] given = (code == null ? "" : code).getBytes(StandardCharsets.UTF_8);
        for (String c : codes.keySet()) {
            if (MessageDigest.isEqual(given, c.getBytes(StandardCharsets.UTF_8))) {
                match = c;
            }
        }
        if (match != null) {
            codes.remove(match);
            return Outcome.PAIRED;
        }
        failures.addLast(now);
        if (mine == null) {
            if (failuresByClient.size() >= MAX_CLIENTS) {
                failuresByClient.remove(failuresByClient.keySet().iterator().next());
            }
            mine = new ArrayDeque<>();
            failuresByClient.put(client, mine);
        }
        mine.addLast(now);
        return Outcome.INVALID;
    }

    private void prune(Instant now) {
        codes.values().removeIf(expires -> !now.isBefore(expires));
        Instant cutoff = now.minus(WINDOW);
        while (!failures.isEmpty() && failures.peekFirst().isBefore(cutoff)) {
            failures.removeFirst();
        }
        for (Iterator<Deque<Instant>> it = failuresByClient.values().iterator(); it.hasNext(); ) {
            Deque<Instant> d = it.next();
            while (!d.isEmpty() && d.peekFirst().isBefore(cutoff)) {
                d.removeFirst();
            }
            if (d.isEmpty()) {
                it.remove();
            }
        }
    }

    /** A code and when it stops working. */
    record Code(String code, Instant expiresAt) {
    }

    /** What an attempt did. */
    enum Outcome {
        /** The code was good and is now used up. */
        PAIRED,
        /** No such code, or it expired or was used. */
        INVALID,
        /** Too many failed attempts; try again later. */
        RATE_LIMITED
    }
}
