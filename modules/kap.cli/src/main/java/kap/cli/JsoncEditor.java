package kap.cli;

import java.util.List;
import java.util.Map;

/**
 * Edits a JSONC document in place, as text: each edit splices only the member it changes, so the user's other keys,
 * their order, comments, trailing commas and indentation stay as they were. Each edit re-parses, so positions are
 * always current.
 */
final class JsoncEditor {

    private String text;

    /**
     * An editor over a document whose root is an object.
     *
     * @param text the document
     * @throws JsoncException if it does not parse or its root is not an object
     */
    JsoncEditor(String text) {
        this.text = text;
        root();
    }

    /** @return the current text */
    String text() {
        return text;
    }

    /** @return the root object, parsed from the current text */
    Jsonc.Obj root() {
        if (Jsonc.parse(text) instanceof Jsonc.Obj o) {
            return o;
        }
        throw new JsoncException("1:1: the document must be a JSON object");
    }

    /**
     * Sets a member of the object at a path of keys (empty path: the root), replacing its value or adding it last.
     * Missing intermediate objects are created.
     *
     * @param path keys from the root to the object
     * @param key the member's key
     * @param value a String, Boolean, Number, List or Map to render as JSON
     */
    void set(List<String> path, String key, Object value) {
        Jsonc.Obj obj = object(path, true);
        var existing = obj.member(key);
        if (existing.isPresent()) {
            Jsonc.Value v = existing.get().value();
            splice(v.start(), v.end(), render(value, indentOf(existing.get().keyStart())));
        } else {
            add(obj, key, value);
        }
    }

    /**
     * Removes a member, with its comma and a comment on the rest of its line.
     *
     * @param path keys from the root to the object
     * @param key the member's key; nothing happens if it is absent
     */
    void remove(List<String> path, String key) {
        Jsonc.Obj obj = object(path, false);
        if (obj == null) {
            return;
        }
        List<Jsonc.Member> members = obj.members();
        for (int i = 0; i < members.size(); i++) {
            Jsonc.Member m = members.get(i);
            if (!m.key().equals(key)) {
                continue;
            }
            int from = lineStartIfBlank(m.keyStart());
            if (m.comma() >= 0) {
                splice(from, restOfLine(m.comma() + 1), "");
            } else if (i > 0 && members.get(i - 1).comma() >= 0) {
                int prevComma = members.get(i - 1).comma();
                splice(from, restOfLine(m.value().end()), "");
                splice(prevComma, prevComma + 1, "");
            } else {
                splice(from, restOfLine(m.value().end()), "");
            }
            return;
        }
    }

    private Jsonc.Obj object(List<String> path, boolean create) {
        Jsonc.Obj obj = root();
        for (int i = 0; i < path.size(); i++) {
            var next = obj.get(path.get(i));
            if (next.isPresent() && next.get() instanceof Jsonc.Obj o) {
                obj = o;
                continue;
            }
            if (!create) {
                return null;
            }
            set(path.subList(0, i), path.get(i), Map.of());
            return object(path, true);
        }
        return obj;
    }

    private void add(Jsonc.Obj obj, String key, Object value) {
        List<Jsonc.Member> members = obj.members();
        if (members.isEmpty()) {
            String outer = indentOf(obj.start());
            String inner = outer + "  ";
            splice(obj.start() + 1, obj.end() - 1,
                    "\n" + inner + quote(key) + ": " + render(value, inner) + "\n" + outer);
            return;
        }
        Jsonc.Member last = members.getLast();
        String indent = indentOf(last.keyStart());
        String member = quote(key) + ": " + render(value, indent);
        if (last.comma() >= 0) {
            // the file uses trailing commas: keep that style
            insertLine(restOfLine(last.comma() + 1), indent + member + ",");
        } else {
            insertLine(restOfLine(last.value().end()), indent + member);
            splice(last.value().end(), last.value().end(), ",");
        }
    }

    /** Inserts a line at {@code at}: on its own line whether or not {@code at} starts one. */
    private void insertLine(int at, String line) {
        boolean lineStart = at > 0 && text.charAt(at - 1) == '\n';
        splice(at, at, lineStart ? line + "\n" : "\n" + line);
    }

    /**
     * The end of the line from {@code from} when only whitespace and a {@code //} comment follow on it (past the
     * newline); otherwise {@code from}.
     */
    private int restOfLine(int from) {
        int i = from;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        if (text.startsWith("//", i)) {
            int eol = text.indexOf('\n', i);
            return eol < 0 ? text.length() : eol + 1;
        }
        if (i < text.length() && text.charAt(i) == '\r') {
            i++;
        }
        if (i < text.length() && text.charAt(i) == '\n') {
            return i + 1;
        }
        return from;
    }

    /** The start of the line of {@code at} if only whitespace precedes it there; otherwise {@code at}. */
    private int lineStartIfBlank(int at) {
        int i = at;
        while (i > 0 && (text.charAt(i - 1) == ' ' || text.charAt(i - 1) == '\t')) {
            i--;
        }
        return i == 0 || text.charAt(i - 1) == '\n' ? i : at;
    }

    private String indentOf(int at) {
        int lineStart = text.lastIndexOf('\n', at - 1) + 1;
        int i = lineStart;
        while (i < at && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        return text.substring(lineStart, i);
    }

    private void splice(int from, int to, String replacement) {
        text = text.substring(0, from) + replacement + text.substring(to);
    }

    /**
     * Renders a value as JSON: arrays of scalars on one line, objects one member per line.
     *
     * @param value the value
     * @param indent the indentation of the line the value starts on
     * @return JSON text
     */
    static String render(Object value, String indent) {
        return switch (value) {
            case null -> "null";
            case String s -> quote(s);
            case Boolean b -> b.toString();
            case Number n -> n.toString();
            case List<?> l -> {
                StringBuilder out = new StringBuilder("[");
                for (int i = 0; i < l.size(); i++) {
                    out.append(i == 0 ? "" : ", ").append(render(l.get(i), indent));
                }
                yield out.append(']').toString();
            }
            case Map<?, ?> m -> {
                if (m.isEmpty()) {
                    yield "{}";
                }
                StringBuilder out = new StringBuilder("{\n");
                int i = 0;
                for (var e : m.entrySet()) {
                    out.append(indent).append("  ").append(quote(String.valueOf(e.getKey()))).append(": ")
                            .append(render(e.getValue(), indent + "  ")).append(++i < m.size() ? ",\n" : "\n");
                }
                yield out.append(indent).append('}').toString();
            }
            default -> throw new IllegalArgumentException("cannot render " + value.getClass());
        };
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
