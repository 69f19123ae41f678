package kap.policy.internal;

import java.util.function.Function;

import kap.policy.McpName;
import kap.policy.Subject;
import kap.policy.spi.Matcher;
import kap.policy.spi.MatcherProvider;
import kap.policy.spi.MatcherScope;

/**
 * MCP name globs: case-sensitive, {@code *} matches any run of characters (including none) and may appear anywhere;
 * every other character is literal. {@code get_*} matches {@code get_issue}; {@code *} matches every name.
 */
public final class NameGlobMatcherProvider implements MatcherProvider {

    /** Longer patterns are refused; real tool names are short. */
    static final int MAX_LENGTH = 256;

    /**
     * Required public constructor for ServiceLoader.
     */
    public NameGlobMatcherProvider() {
    }

    @Override
    public String type() {
        return "mcp-glob";
    }

    @Override
    public MatcherScope scope() {
        return MatcherScope.MCP_NAME;
    }

    @Override
    public boolean claims(String pattern) {
        return true;
    }

    @Override
    public Matcher parse(String pattern, Function<String, Matcher> others) {
        if (pattern.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("pattern longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (Character.isISOControl(c) || Character.isWhitespace(c)) {
                throw new IllegalArgumentException("control or space character in pattern");
            }
        }
        return new GlobMatcher(pattern);
    }

    /** Glob match with '*' only; iterative with one backtrack point, so it is linear-ish and cannot blow up. */
    static boolean glob(String pattern, String text) {
        int p = 0;
        int t = 0;
        int starP = -1;
        int starT = 0;
        while (t < text.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                starP = p++;
                starT = t;
            } else if (p < pattern.length() && pattern.charAt(p) == text.charAt(t)) {
                p++;
                t++;
            } else if (starP >= 0) {
                p = starP + 1;
                t = ++starT;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    private record GlobMatcher(String pattern) implements Matcher {
        @Override
        public String type() {
            return "mcp-glob";
        }

        @Override
        public boolean matches(Subject subject) {
            return subject instanceof McpName name && glob(pattern, name.name());
        }
    }
}
