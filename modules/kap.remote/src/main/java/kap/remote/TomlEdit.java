package kap.remote;

import java.util.List;
import java.util.Optional;

/**
 * Adds one entry to an allow list of a kap.toml, as text, keeping everything else (comments, order, spacing)
 * exactly as it was: {@code [proxy.network] allow}, or {@code allow} of the {@code [[mcp.servers]]} or
 * {@code [[cli.tools]]} entry with a given name. A layout it cannot edit safely (an inline table, a value that is not
 * an array, a missing server or tool) is refused with a message, never guessed at.
 */
final class TomlEdit {

    private TomlEdit() {
    }

    /** Adds a rule to {@code [proxy.network] allow}, creating the key or the table if needed. */
    static String addNetworkAllow(String text, String rule) {
        List<TomlScanner.Table> tables = TomlScanner.scan(text);
        for (TomlScanner.Table t : tables) {
            for (TomlScanner.Entry e : t.entries()) {
                String path = t.name().isEmpty() ? e.key() : t.name() + "." + e.key();
                if (path.equals("proxy.network.allow") && !t.array()) {
                    return insert(text, e, rule, "proxy.network.allow");
                }
                if (path.equals("proxy.network") || path.equals("proxy")) {
                    throw new IllegalArgumentException("kap.toml writes " + path + " as an inline table; add \""
                            + rule + "\" to [proxy.network] allow by hand");
                }
            }
        }
        for (TomlScanner.Table t : tables) {
            if (t.name().equals("proxy.network") && !t.array()) {
                return text.substring(0, t.headerEnd()) + "allow = [" + quote(rule) + "]\n"
                        + text.substring(t.headerEnd());
            }
        }
        String base = text.isEmpty() || text.endsWith("\n") ? text : text + "\n";
        return base + "\n[proxy.network]\nallow = [" + quote(rule) + "]\n";
    }

    /**
     * Adds a pattern to the {@code allow} of the array-table entry ({@code mcp.servers} or {@code cli.tools}) whose
     * {@code name} is the given one.
     */
    static String addOwnedAllow(String text, String arrayTable, String name, String pattern) {
        for (TomlScanner.Table t : TomlScanner.scan(text)) {
            if (!t.array() || !t.name().equals(arrayTable) || !name(t).equals(Optional.of(name))) {
                continue;
            }
            for (TomlScanner.Entry e : t.entries()) {
                if (e.key().equals("allow")) {
                    return insert(text, e, pattern, arrayTable + " " + name + " allow");
                }
            }
            return text.substring(0, t.headerEnd()) + "allow = [" + quote(pattern) + "]\n"
                    + text.substring(t.headerEnd());
        }
        throw new IllegalArgumentException("kap.toml has no [[" + arrayTable + "]] entry with name = \"" + name
                + "\"; add it first");
    }

    private static Optional<String> name(TomlScanner.Table t) {
        return t.entries().stream().filter(e -> e.key().equals("name")).findFirst().map(e -> unquote(e.value()));
    }

    private static String insert(String text, TomlScanner.Entry e, String value, String where) {
        if (!e.array()) {
            throw new IllegalArgumentException(where + " in kap.toml is not an array; add \"" + value
                    + "\" by hand");
        }
        String v = quote(value);
        int close = e.close();
        boolean closeAlone = text.substring(lineStart(text, close), close).isBlank();
        if (e.lastEnd() < 0) {
            if (closeAlone && text.substring(e.valueStart(), close).contains("\n")) {
                return text.substring(0, lineStart(text, close)) + "    " + v + ",\n"
                        + text.substring(lineStart(text, close));
            }
            return text.substring(0, close) + v + text.substring(close);
        }
        if (closeAlone && text.substring(e.lastEnd(), close).contains("\n")) {
            int at = lineStart(text, close);
            String indent = indent(text, e.lastEnd());
            String head = e.trailingComma() ? text.substring(0, e.lastEnd())
                    : text.substring(0, e.lastEnd()) + ",";
            return head + text.substring(e.lastEnd(), at) + indent + v + ",\n" + text.substring(at);
        }
        if (e.trailingComma()) {
            return text.substring(0, close) + " " + v + "," + text.substring(close);
        }
        return text.substring(0, e.lastEnd()) + ", " + v + text.substring(e.lastEnd());
    }

    private static int lineStart(String text, int at) {
        return text.lastIndexOf('\n', at - 1) + 1;
    }

    private static String indent(String text, int at) {
        int start = lineStart(text, at);
        int i = start;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        return text.substring(start, i);
    }

    /** A TOML basic string. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static String unquote(String value) {
        String v = value.strip();
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            String inner = v.substring(1, v.length() - 1);
            return v.startsWith("\"") ? inner.replace("\\\"", "\"").replace("\\\\", "\\") : inner;
        }
        return v;
    }
}
