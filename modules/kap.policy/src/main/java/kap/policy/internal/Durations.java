package kap.policy.internal;

import java.time.Duration;

/**
 * Parses durations written as {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h} or combinations like {@code 1m30s}.
 */
final class Durations {

    /** Longer durations are refused: every timeout in kap is shorter than a day. */
    static final Duration MAX = Duration.ofDays(1);

    private Durations() {
    }

    static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty duration");
        }
        Duration total = Duration.ZERO;
        int i = 0;
        while (i < text.length()) {
            int start = i;
            while (i < text.length() && Character.isDigit(text.charAt(i))) {
                i++;
            }
            if (start == i || i - start > 9) {
                throw invalid(text);
            }
            long amount = Long.parseLong(text.substring(start, i));
            int unitStart = i;
            while (i < text.length() && Character.isLetter(text.charAt(i))) {
                i++;
            }
            total = total.plus(switch (text.substring(unitStart, i)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> throw invalid(text);
            });
            if (total.compareTo(MAX) > 0) {
                throw new IllegalArgumentException("duration longer than a day: " + text);
            }
        }
        return total;
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("invalid duration \"" + text + "\" (use ms, s, m or h, such as \"10s\")");
    }
}
