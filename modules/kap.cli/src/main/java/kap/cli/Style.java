package kap.cli;

import java.util.Map;

/**
 * Colours for terminal output: only on a terminal, never when {@code NO_COLOR} is set (https://no-color.org) or
 * {@code TERM=dumb}.
 */
final class Style {

    private final boolean color;

    private Style(boolean color) {
        this.color = color;
    }

    static Style detect() {
        return of(System.getenv(), System.console() != null && System.console().isTerminal());
    }

    static Style of(Map<String, String> env, boolean terminal) {
        String noColor = env.get("NO_COLOR");
        boolean off = (noColor != null && !noColor.isEmpty()) || "dumb".equals(env.get("TERM"));
        return new Style(terminal && !off);
    }

    String ok(String s) {
        return wrap("32", s);
    }

    String bad(String s) {
        return wrap("31", s);
    }

    String bold(String s) {
        return wrap("1", s);
    }

    String dim(String s) {
        return wrap("2", s);
    }

    private String wrap(String code, String s) {
        return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}
