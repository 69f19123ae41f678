package kap.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A JSONC parser (JSON with {@code //} and {@code /* *}{@code /} comments and trailing commas, as devcontainer.json and
 * VS Code use it) that keeps the position of every value, so {@link JsoncEditor} can change a file without touching
 * the rest of it: the user's keys, order, comments and layout survive.
 *
 * <p>Strict elsewhere: unquoted keys, single quotes, NaN and control characters in strings are errors. Limits: input
 * size and nesting depth.
 */
final class Jsonc {

    /** Larger devcontainer.json files are refused. */
    static final int MAX_CHARS = 1 << 20;
    /** Deeper nesting is refused. */
    static final int MAX_DEPTH = 64;

    private final String text;
    private int pos;
    private int depth;

    private Jsonc(String text) {
        this.text = text;
    }

    /**
     * Parses a document: one value, with comments and whitespace around it.
     *
     * @param text the text
     * @return the root value
     * @throws JsoncException with line and column
     */
    static Value parse(String text) {
        if (text.length() > MAX_CHARS) {
            throw new JsoncException("file is larger than " + MAX_CHARS + " characters");
        }
        Jsonc p = new Jsonc(text);
        p.skip();
        Value root = p.value();
        p.skip();
        if (p.pos < text.length()) {
            throw p.error("unexpected text after the end of the document");
        }
        return root;
    }

    private Value value() {
        if (pos >= text.length()) {
            throw error("unexpected end of input");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> {
                int start = pos;
                String s = string();
                yield new Str(s, start, pos);
            }
            case 't', 'f', 'n' -> literal();
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected character '" + c + "'");
            }
        };
    }

    private Obj object() {
        int start = pos;
        enter();
        pos++;
        List<Member> members = new ArrayList<>();
        skip();
        while (peek() != '}') {
            if (peek() != '"') {
                throw error("expected a quoted key or '}'");
            }
            int keyStart = pos;
            String key = string();
            skip();
            expect(':');
            skip();
            Value v = value();
            skip();
            int comma = -1;
            if (peek() == ',') {
                comma = pos++;
                skip();
            } else if (peek() != '}') {
                throw error("expected ',' or '}'");
            }
            members.add(new Member(key, keyStart, v, comma));
        }
        pos++;
        depth--;
        return new Obj(members, start, pos);
    }

    private Arr array() {
        int start = pos;
        enter();
        pos++;
        List<Value> items = new ArrayList<>();
        skip();
        while (peek() != ']') {
            items.add(value());
            skip();
            if (peek() == ',') {
                pos++;
                skip();
            } else if (peek() != ']') {
                throw error("expected ',' or ']'");
            }
        }
        pos++;
        depth--;
        return new Arr(items, start, pos);
    }

    private String string() {
        StringBuilder out = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw error("control character in a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw error("bad \\u escape");
                    }
                    try {
                        out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException x) {
                        throw error("bad \\u escape");
                    }
                    pos += 4;
                }
                default -> throw error("bad escape '\\" + e + "'");
            }
        }
    }

    private Value literal() {
        int start = pos;
        for (String word : new String[] {"true", "false", "null"}) {
            if (text.startsWith(word, pos)) {
                pos += word.length();
                return word.equals("null") ? new Null(start, pos) : new Bool(word.equals("true"), start, pos);
            }
        }
        throw error("unexpected word");
    }

    private Num number() {
        int start = pos;
        while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        String n = text.substring(start, pos);
        if (!n.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
            throw error("bad number '" + n + "'");
        }
        return new Num(n, start, pos);
    }

    /** Skips whitespace and comments. */
    private void skip() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\uFEFF') {
                pos++;
            } else if (text.startsWith("//", pos)) {
                int eol = text.indexOf('\n', pos);
                pos = eol < 0 ? text.length() : eol + 1;
            } else if (text.startsWith("/*", pos)) {
                int close = text.indexOf("*/", pos + 2);
                if (close < 0) {
                    throw error("unterminated /* comment");
                }
                pos = close + 2;
            } else {
                return;
            }
        }
    }

    private char peek() {
        if (pos >= text.length()) {
            throw error("unexpected end of input");
        }
        return text.charAt(pos);
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH);
        }
    }

    private JsoncException error(String message) {
        int line = 1;
        int col = 1;
        for (int i = 0; i < Math.min(pos, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new JsoncException(line + ":" + col + ": " + message);
    }

    /** A parsed value with its span {@code [start, end)} in the text. */
    sealed interface Value {
        /** @return first character */
        int start();

        /** @return one past the last character */
        int end();

        /** @return the value as plain Java: Map (ordered), List, String, Boolean, String for numbers, or null */
        Object plain();
    }

    record Obj(List<Member> members, int start, int end) implements Value {
        Optional<Member> member(String key) {
            return members.stream().filter(m -> m.key().equals(key)).reduce((a, b) -> b);
        }

        Optional<Value> get(String key) {
            return member(key).map(Member::value);
        }

        Optional<String> string(String key) {
            return get(key).filter(Str.class::isInstance).map(v -> ((Str) v).value());
        }

        @Override
        public Object plain() {
            Map<String, Object> m = new LinkedHashMap<>();
            members.forEach(x -> m.put(x.key(), x.value().plain()));
            return m;
        }
    }

    /**
     * A member of an object.
     *
     * @param key the key
     * @param keyStart where its key's opening quote is
     * @param value the value
     * @param comma where the comma after it is, or -1
     */
    record Member(String key, int keyStart, Value value, int comma) {
    }

    record Arr(List<Value> items, int start, int end) implements Value {
        @Override
        public Object plain() {
            List<Object> l = new ArrayList<>();
            items.forEach(x -> l.add(x.plain()));
            return l;
        }
    }

    record Str(String value, int start, int end) implements Value {
        @Override
        public Object plain() {
            return value;
        }
    }

    record Num(String text, int start, int end) implements Value {
        @Override
        public Object plain() {
            return text;
        }
    }

    record Bool(boolean value, int start, int end) implements Value {
        @Override
        public Object plain() {
            return value;
        }
    }

    record Null(int start, int end) implements Value {
        @Override
        public Object plain() {
            return null;
        }
    }
}
