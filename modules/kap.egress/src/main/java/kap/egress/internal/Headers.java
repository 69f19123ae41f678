package kap.egress.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The header fields of a message in the order received, names as sent. Lookups ignore case.
 *
 * @param fields the fields
 */
record Headers(List<Field> fields) {

    /**
     * Hop-by-hop fields (RFC 9110 §7.6.1), plus the proxy's own and the framing fields, which the proxy always writes
     * itself. None of them is copied from one side to the other.
     */
    static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
            "content-length", "host");

    /**
     * One field.
     *
     * @param name field name as sent
     * @param value value without surrounding whitespace
     */
    record Field(String name, String value) {
    }

    Headers {
        fields = List.copyOf(fields);
    }

    int count(String name) {
        int n = 0;
        for (Field f : fields) {
            if (f.name.equalsIgnoreCase(name)) {
                n++;
            }
        }
        return n;
    }

    Optional<String> first(String name) {
        for (Field f : fields) {
            if (f.name.equalsIgnoreCase(name)) {
                return Optional.of(f.value);
            }
        }
        return Optional.empty();
    }

    /** Whether any field of this name lists the token (comma-separated, case-insensitive), such as close. */
    boolean hasToken(String name, String token) {
        return tokens(name).contains(token.toLowerCase(Locale.ROOT));
    }

    /**
     * The fields that travel end to end: everything except {@link #NOT_FORWARDED} and the fields the
     * {@code Connection} header names.
     */
    Headers endToEnd() {
        Set<String> named = tokens("connection");
        List<Field> kept = new ArrayList<>(fields.size());
        for (Field f : fields) {
            String lower = f.name.toLowerCase(Locale.ROOT);
            if (!NOT_FORWARDED.contains(lower) && !named.contains(lower)) {
                kept.add(f);
            }
        }
        return new Headers(kept);
    }

    private Set<String> tokens(String name) {
        Set<String> result = new HashSet<>();
        for (Field f : fields) {
            if (f.name.equalsIgnoreCase(name)) {
                for (String t : f.value.split(",")) {
                    String token = t.strip().toLowerCase(Locale.ROOT);
                    if (!token.isEmpty()) {
                        result.add(token);
                    }
                }
            }
        }
        return result;
    }
}
