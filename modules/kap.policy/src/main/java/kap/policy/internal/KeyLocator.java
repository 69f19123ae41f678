package kap.policy.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the line of every key, array element and table header in a TOML text.
 *
 * <p>night-config parses TOML but keeps no positions, so this scanner walks the same text once more and records a
 * line per dotted path ({@code proxy.network.allow}, {@code proxy.network.allow[2]}, {@code cli.tools[1].mode}). It
 * runs only on text night-config has already accepted, and it never throws: on anything it does not understand it
 * stops recording, and callers fall back to the line of the enclosing table. This is a small hand-written state
 * machine, so it is long in one place on purpose.
 */
final class KeyLocator {

    private final String text;
    private final Map<String, Integer> lines = new HashMap<>();
    private final Map<String, Integer> arrayCounts = new HashMap<>();
    private int pos;
    private int line = 1;

    private KeyLocator(String text) {
        this.text = text;
    }

    static KeyLocator scan(String text) {
        KeyLocator locator = new KeyLocator(text);
        try {
            locator.document();
        } catch (RuntimeException e) {
            // The text was valid for night-config; whatever we failed to follow just has no line.
        }
        return locator;
    }

    /** The line of a path, or of its nearest recorded ancestor, or 0. */
    int line(String path) {
        String p = path;
        while (true) {
            Integer found = lines.get(p);
            if (found != null) {
                return found;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            if (cut <= 0) {
                return 0;
            }
            p = p.substring(0, cut);
        }
    }

    private void document() {
        String table = "";
        while (skipBlankLinesAndComments()) {
            char c = text.charAt(pos);
            if (c == '[') {
                table = header();
            } else {
                keyValue(table);
            }
        }
    }

    private String header() {
        int headerLine = line;
        boolean array = text.startsWith("[[", pos);
        pos += array ? 2 : 1;
        List<String> segments = keySegments();
        pos += array ? 2 : 1;
        String prefix = resolve(segments.subList(0, segments.size() - 1));
        String last = join(prefix, segments.get(segments.size() - 1));
        String path;
        if (array) {
            int index = arrayCounts.merge(last, 1, Integer::sum) - 1;
            lines.putIfAbsent(last, headerLine);
            path = last + "[" + index + "]";
        } else {
            path = arrayCounts.containsKey(last) ? last + "[" + (arrayCounts.get(last) - 1) + "]" : last;
        }
        lines.putIfAbsent(path, headerLine);
        skipToEndOfLine();
        return path;
    }

    private void keyValue(String table) {
        int keyLine = line;
        String path = join(table, String.join(".", keySegments()));
        lines.putIfAbsent(path, keyLine);
        skipInlineSpace();
        if (pos < text.length() && text.charAt(pos) == '=') {
            pos++;
        }
        skipInlineSpace();
        value(path);
        skipToEndOfLine();
    }

    private void value(String path) {
        if (pos >= text.length()) {
            return;
        }
        char c = text.charAt(pos);
        switch (c) {
            case '"', '\'' -> string();
            case '[' -> array(path);
            case '{' -> inlineTable(path);
            default -> {
                while (pos < text.length() && ",]}\n\r#".indexOf(text.charAt(pos)) < 0) {
                    pos++;
                }
            }
        }
    }

    private void array(String path) {
        pos++;
        int index = 0;
        while (true) {
            skipSpaceNewlinesAndComments();
            if (pos >= text.length()) {
                return;
            }
            char c = text.charAt(pos);
            if (c == ']') {
                pos++;
                return;
            }
            if (c == ',') {
                pos++;
                continue;
            }
            String element = path + "[" + index++ + "]";
            lines.putIfAbsent(element, line);
            value(element);
        }
    }

    private void inlineTable(String path) {
        pos++;
        while (true) {
            skipSpaceNewlinesAndComments();
            if (pos >= text.length()) {
                return;
            }
            char c = text.charAt(pos);
            if (c == '}') {
                pos++;
                return;
            }
            if (c == ',') {
                pos++;
                continue;
            }
            int keyLine = line;
            String key = join(path, String.join(".", keySegments()));
            lines.putIfAbsent(key, keyLine);
            skipInlineSpace();
            if (pos < text.length() && text.charAt(pos) == '=') {
                pos++;
            }
            skipInlineSpace();
            value(key);
        }
    }

    private List<String> keySegments() {
        List<String> segments = new ArrayList<>();
        while (pos < text.length()) {
            skipInlineSpace();
            char c = text.charAt(pos);
            if (c == '"' || c == '\'') {
                int start = pos + 1;
                string();
                segments.add(text.substring(start, Math.max(start, pos - 1)));
            } else {
                int start = pos;
                while (pos < text.length() && isBareKeyChar(text.charAt(pos))) {
                    pos++;
                }
                segments.add(text.substring(start, pos));
            }
            skipInlineSpace();
            if (pos < text.length() && text.charAt(pos) == '.') {
                pos++;
                continue;
            }
            return segments;
        }
        return segments;
    }

    private void string() {
        char quote = text.charAt(pos);
        String triple = String.valueOf(quote).repeat(3);
        if (text.startsWith(triple, pos)) {
            pos += 3;
            while (pos < text.length() && !text.startsWith(triple, pos)) {
                advanceCountingLines(quote == '"' && text.charAt(pos) == '\\' ? 2 : 1);
            }
            pos += 3;
            // a closing delimiter may be followed by up to two more quotes that belong to the content
            while (pos < text.length() && text.charAt(pos) == quote) {
                pos++;
            }
            return;
        }
        pos++;
        while (pos < text.length() && text.charAt(pos) != quote && text.charAt(pos) != '\n') {
            pos += quote == '"' && text.charAt(pos) == '\\' ? 2 : 1;
        }
        pos++;
    }

    private String resolve(List<String> segments) {
        String current = "";
        for (String segment : segments) {
            current = join(current, segment);
            Integer count = arrayCounts.get(current);
            if (count != null) {
                current = current + "[" + (count - 1) + "]";
            }
        }
        return current;
    }

    private boolean skipBlankLinesAndComments() {
        skipSpaceNewlinesAndComments();
        return pos < text.length();
    }

    private void skipSpaceNewlinesAndComments() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '#') {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (c == '\n') {
                pos++;
                line++;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else {
                return;
            }
        }
    }

    private void skipInlineSpace() {
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
            pos++;
        }
    }

    private void skipToEndOfLine() {
        while (pos < text.length() && text.charAt(pos) != '\n') {
            pos++;
        }
    }

    private void advanceCountingLines(int n) {
        for (int i = 0; i < n && pos < text.length(); i++) {
            if (text.charAt(pos) == '\n') {
                line++;
            }
            pos++;
        }
    }

    private static boolean isBareKeyChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    private static String join(String prefix, String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }
}
