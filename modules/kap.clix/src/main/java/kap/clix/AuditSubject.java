package kap.clix;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The audit subject of a command: the tool and its arguments, each quoted for a POSIX shell when it is not a plain
 * word, so that {@code gh pr view 'a b'} reads back unambiguously. Long subjects are cut.
 */
final class AuditSubject {

    /** Longer subjects are cut, with a note of how much was left out. */
    static final int MAX_SUBJECT_CHARS = 1024;

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private AuditSubject() {
    }

    static String of(String tool, List<String> args) {
        StringBuilder s = new StringBuilder(quote(tool));
        for (String arg : args) {
            s.append(' ').append(quote(arg));
            if (s.length() > MAX_SUBJECT_CHARS) {
                break;
            }
        }
        if (s.length() > MAX_SUBJECT_CHARS) {
            int total = tool.length() + args.stream().mapToInt(a -> a.length() + 1).sum();
            return s.substring(0, MAX_SUBJECT_CHARS) + "... (" + total + " characters in all)";
        }
        return s.toString();
    }

    static String quote(String word) {
        if (!word.isEmpty() && PLAIN.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
