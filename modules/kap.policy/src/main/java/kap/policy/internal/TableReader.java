package kap.policy.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.electronwill.nightconfig.core.Config;

/**
 * Reads one TOML table with type checks. Every key asked for counts as known; {@link #finish()} warns about the keys
 * present that nobody asked for, naming the closest known key.
 */
final class TableReader {

    /** A list longer than this is refused: no real policy needs it, and it bounds the work of every decision. */
    static final int MAX_LIST = 10_000;

    private final TomlDocument doc;
    private final String path;
    private final Config table;
    private final Problems problems;
    private final Set<String> known = new LinkedHashSet<>();

    TableReader(TomlDocument doc, String path, Config table, Problems problems) {
        this.doc = doc;
        this.path = path;
        this.table = table;
        this.problems = problems;
    }

    static TableReader root(TomlDocument doc, Problems problems) {
        return new TableReader(doc, "", doc.root(), problems);
    }

    String path() {
        return path;
    }

    Origin at() {
        return doc.origin(path);
    }

    Origin at(String key) {
        return doc.origin(keyPath(key));
    }

    String keyPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        known.add(key);
        return raw(key) != null;
    }

    Optional<Located<String>> string(String key) {
        return typed(key, String.class, "a string");
    }

    Optional<Located<Boolean>> bool(String key) {
        return typed(key, Boolean.class, "true or false");
    }

    Optional<Located<Long>> integer(String key) {
        Object value = known(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Integer || value instanceof Long) {
            return Optional.of(located(key, ((Number) value).longValue()));
        }
        typeError(key, "an integer", value);
        return Optional.empty();
    }

    /** A duration: a string such as {@code "10s"} or {@code "500ms"}, or an integer number of seconds. */
    Optional<Located<String>> duration(String key) {
        Object value = known(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof String s) {
            return Optional.of(located(key, s));
        }
        if (value instanceof Integer || value instanceof Long) {
            return Optional.of(located(key, value + "s"));
        }
        typeError(key, "a duration such as \"10s\" or \"500ms\"", value);
        return Optional.empty();
    }

    /** A list of strings; absent gives an empty list. Each element keeps its own line. */
    List<Located<String>> strings(String key) {
        Object value = known(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            typeError(key, "an array of strings", value);
            return List.of();
        }
        return elements(key, list);
    }

    /** A string or a list of strings, such as {@code dns_upstream}. */
    Optional<List<Located<String>>> stringOrStrings(String key) {
        Object value = known(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof String s) {
            return Optional.of(List.of(located(key, s)));
        }
        if (value instanceof List<?> list) {
            return Optional.of(elements(key, list));
        }
        typeError(key, "a string or an array of strings", value);
        return Optional.empty();
    }

    /** A table whose values are all strings, inline or not. */
    Map<String, Located<String>> stringMap(String key) {
        Object value = known(key);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Config config)) {
            typeError(key, "a table of strings", value);
            return Map.of();
        }
        Map<String, Located<String>> result = new LinkedHashMap<>();
        for (Config.Entry entry : config.entrySet()) {
            String entryPath = keyPath(key) + "." + entry.getKey();
            Object v = entry.getRawValue();
            if (v instanceof String s) {
                result.put(entry.getKey(), new Located<>(s, entryPath, doc.origin(entryPath)));
            } else {
                problems.error(doc.origin(entryPath), entryPath, "expected a string, found " + describe(v));
            }
        }
        return result;
    }

    Optional<TableReader> table(String key) {
        Object value = known(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Config config) {
            return Optional.of(new TableReader(doc, keyPath(key), config, problems));
        }
        typeError(key, "a table", value);
        return Optional.empty();
    }

    /** An array of tables ({@code [[x]]}), or an array of inline tables. */
    List<TableReader> tables(String key) {
        Object value = known(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            typeError(key, "an array of tables ([[" + keyPath(key) + "]])", value);
            return List.of();
        }
        List<TableReader> result = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String elementPath = keyPath(key) + "[" + i + "]";
            if (list.get(i) instanceof Config config) {
                result.add(new TableReader(doc, elementPath, config, problems));
            } else {
                problems.error(doc.origin(elementPath), elementPath, "expected a table, found " + describe(list.get(i)));
            }
        }
        return result;
    }

    /** Warns about every key present but never asked for. */
    void finish() {
        for (Config.Entry entry : table.entrySet()) {
            String key = entry.getKey();
            if (known.contains(key)) {
                continue;
            }
            String where = path.isEmpty() ? "at the top level" : "in [" + path.replaceAll("\\[\\d+]", "") + "]";
            String hint = Suggest.closest(key, known).map(k -> Suggest.isClose(key, k)
                    ? "; did you mean '" + k + "'?"
                    : "; the closest known key is '" + k + "' (known here: " + String.join(", ", known) + ")")
                    .orElse("");
            problems.warn(at(key), keyPath(key), "unknown key " + where + ", ignored" + hint);
        }
    }

    private Object known(String key) {
        known.add(key);
        return raw(key);
    }

    private Object raw(String key) {
        return table.getRaw(Collections.singletonList(key));
    }

    private <T> Optional<Located<T>> typed(String key, Class<T> type, String expected) {
        Object value = known(key);
        if (value == null) {
            return Optional.empty();
        }
        if (type.isInstance(value)) {
            return Optional.of(located(key, type.cast(value)));
        }
        typeError(key, expected, value);
        return Optional.empty();
    }

    private List<Located<String>> elements(String key, List<?> list) {
        if (list.size() > MAX_LIST) {
            problems.error(at(key), keyPath(key), "more than " + MAX_LIST + " entries");
            return List.of();
        }
        List<Located<String>> result = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String elementPath = keyPath(key) + "[" + i + "]";
            if (list.get(i) instanceof String s) {
                result.add(new Located<>(s, elementPath, doc.origin(elementPath)));
            } else {
                problems.error(doc.origin(elementPath), elementPath, "expected a string, found " + describe(list.get(i)));
            }
        }
        return result;
    }

    private <T> Located<T> located(String key, T value) {
        return new Located<>(value, keyPath(key), at(key));
    }

    private void typeError(String key, String expected, Object found) {
        problems.error(at(key), keyPath(key), "expected " + expected + ", found " + describe(found));
    }

    static String describe(Object value) {
        return switch (value) {
            case null -> "nothing";
            case String s -> "the string \"" + s + "\"";
            case Boolean b -> "the boolean " + b;
            case Integer i -> "the integer " + i;
            case Long l -> "the integer " + l;
            case Number n -> "the number " + n;
            case List<?> l -> "an array";
            case Config c -> "a table";
            default -> "a " + value.getClass().getSimpleName();
        };
    }
}
