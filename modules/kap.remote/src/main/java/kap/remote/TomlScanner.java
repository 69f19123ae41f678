package kap.remote;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the tables and key/value pairs of a TOML document with their character positions, so a line can be added to
 * an array without rewriting (and losing the comments of) the rest of the file. It understands what can hide a
 * bracket or a {@code #}: basic, literal and multi-line strings, comments, nested arrays and inline tables. It does
 * not validate; the caller parses the result with kap's real loader.
 */
final class TomlScanner {

    /** A {@code [table]} or {@code [[array.table]]} header and the text it governs. */
    record Table(String name, boolean array, int headerEnd, int end, List<Entry> entries) {
    }

    /**
     * A key/value pair.
     *
     * @param key the dotted key as written, spaces around dots removed
     * @param value the value's text
     * @param valueStart where the value starts
     * @param array whether the value is an array
     * @param close for an array, the position of its closing bracket
     * @param lastEnd for an array, the end of its last element, or -1 if it is empty
     * @param trailingComma for an array, whether a comma follows its last element
     */
    record Entry(String key, String value, int valueStart, boolean array, int close, int lastEnd,
                 boolean trailingComma) {
    }

    private final String text;
    private int pos;

    private TomlScanner(String text) {
        this.text = text;
    }

    /** The root table (name "") and every table of the document, in order. */
    static List<Table> scan(String text) {
        return new TomlScanner(text).tables();
    }

    private List<Table> tables() {
        List<Table> tables = new ArrayList<>();
        String name = "";
        boolean array = false;
        int headerEnd = 0;
        List<Entry> entries = new ArrayList<>();
        while (true) {
            skipBlankAndComments();
            if (pos >= text.length() || text.charAt(pos) == '[') {
                int tableEnd = pos;
                tables.add(new Table(name, array, headerEnd, tableEnd, List.copyOf(entries)));
                if (pos >= text.length()) {
                    return tables;
                }
                array = text.startsWith("[[", pos);
                int close = text.indexOf(array ? "]]" : "]", pos);
                if (close < 0) {
                    throw new IllegalArgumentException("unterminated table header at line " + line(pos));
                }
                name = normalize(text.substring(pos + (array ? 2 : 1), close));
                pos = close + (array ? 2 : 1);
                skipToLineEnd();
                headerEnd = pos;
                entries = new ArrayList<>();
            } else {
                entries.add(entry());
            }
        }
    }

    private Entry entry() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) != '=' && text.charAt(pos) != '\n') {
            char c = text.charAt(pos);
            if (c == '"' || c == '\'') {
                skipString();
            } else {
                pos++;
            }
        }
        if (pos >= text.length() || text.charAt(pos) != '=') {
            throw new IllegalArgumentException("expected key = value at line " + line(start));
        }
        String key = normalize(text.substring(start, pos));
        pos++;
        skipSpaces();
        int valueStart = pos;
        Entry entry;
        if (pos < text.length() && text.charAt(pos) == '[') {
            entry = array(key, valueStart);
        } else {
            skipValue();
            entry = new Entry(key, text.substring(valueStart, pos).strip(), valueStart, false, -1, -1, false);
        }
        skipToLineEnd();
        return entry;
    }

    /** An array value, remembering where its last element ends and whether a comma follows it. */
    private Entry array(String key, int valueStart) {
        pos++;
        int lastEnd = -1;
        boolean comma = false;
        while (true) {
            skipBlankAndComments();
            if (pos >= text.length()) {
                throw new IllegalArgumentException("unterminated array for " + key + " at line " + line(valueStart));
            }
            char c = text.charAt(pos);
            if (c == ']') {
                int close = pos++;
                return new Entry(key, text.substring(valueStart, pos), valueStart, true, close, lastEnd, comma);
            }
            if (c == ',') {
                comma = true;
                pos++;
                continue;
            }
            skipValue();
            lastEnd = pos;
            comma = false;
        }
    }

    /** Skips one value: a string, an array, an inline table, or a bare scalar. */
    private void skipValue() {
        if (pos >= text.length()) {
            return;
        }
        char c = text.charAt(pos);
        if (c == '"' || c == '\'') {
            skipString();
        } else if (c == '[' || c == '{') {
            skipNested(c, c == '[' ? ']' : '}');
        } else {
            while (pos < text.length() && ",]}#\n".indexOf(text.charAt(pos)) < 0) {
                pos++;
            }
            while (pos > 0 && Character.isWhitespace(text.charAt(pos - 1)) && text.charAt(pos - 1) != '\n') {
                pos--;
            }
        }
    }

    private void skipNested(char open, char close) {
        int depth = 0;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '"' || c == '\'') {
                skipString();
                continue;
            }
            if (c == '#') {
                skipToLineEnd();
                continue;
            }
            pos++;
            if (c == open) {
                depth++;
            } else if (c == close && --depth == 0) {
                return;
            }
        }
        throw new IllegalArgumentException("unterminated " + open + " value");
    }

    private void skipString() {
        char quote = text.charAt(pos);
        String triple = String.valueOf(quote).repeat(3);
        if (text.startsWith(triple, pos)) {
            int end = pos + 3;
            while (true) {
                int at = text.indexOf(triple, end);
                if (at < 0) {
                    throw new IllegalArgumentException("unterminated multi-line string at line " + line(pos));
                }
                if (quote == '"' && escaped(at)) {
                    end = at + 1;
                    continue;
                }
                pos = at + 3;
                while (pos < text.length() && text.charAt(pos) == quote) {
                    pos++;
                }
                return;
            }
        }
        int i = pos + 1;
        while (i < text.length() && text.charAt(i) != quote && text.charAt(i) != '\n') {
            i += quote == '"' && text.charAt(i) == '\\' ? 2 : 1;
        }
        if (i >= text.length() || text.charAt(i) != quote) {
            throw new IllegalArgumentException("unterminated string at line " + line(pos));
        }
        pos = i + 1;
    }

    private boolean escaped(int at) {
        int backslashes = 0;
        for (int i = at - 1; i >= 0 && text.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    private void skipBlankAndComments() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '#') {
                skipToLineEnd();
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else {
                return;
            }
        }
    }

    private void skipSpaces() {
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
            pos++;
        }
    }

    /** Moves past the end of the current line (any comment included). */
    private void skipToLineEnd() {
        int nl = text.indexOf('\n', pos);
        pos = nl < 0 ? text.length() : nl + 1;
    }

    private int line(int at) {
        int n = 1;
        for (int i = 0; i < at && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    private static String normalize(String key) {
        return key.strip().replaceAll("\\s*\\.\\s*", ".");
    }
}
