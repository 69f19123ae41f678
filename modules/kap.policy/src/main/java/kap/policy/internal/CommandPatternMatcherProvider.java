package kap.policy.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import kap.policy.CommandLine;
import kap.policy.Subject;
import kap.policy.spi.Matcher;
import kap.policy.spi.MatcherProvider;
import kap.policy.spi.MatcherScope;

/**
 * CLI command patterns over parsed argv.
 *
 * <p>A pattern is a list of words separated by spaces. Words are matched against the positional arguments (not
 * against a joined string, so one argument holding a space stays one argument):
 * <ul>
 *     <li>a plain word matches one argument exactly; {@code *} inside a word globs within it ({@code pr*});</li>
 *     <li>a lone {@code *} matches any run of arguments, including none, and also permits any flags;</li>
 *     <li>a word starting with {@code -} names a flag that must be present; the word after it, unless it is another
 *     flag, is a glob its value must match ({@code api --method DELETE *}, {@code * --hostname *}).</li>
 * </ul>
 * In an allow list the pattern must cover the whole command: extra arguments or flags are allowed only by a lone
 * {@code *}. In a deny list it matches any command that starts with its words and carries its flags, wherever the
 * flags are, so {@code auth token} denies {@code --hostname x auth token --show}.
 */
public final class CommandPatternMatcherProvider implements MatcherProvider {

    /** Longer patterns are refused. */
    static final int MAX_WORDS = 64;

    /**
     * Required public constructor for ServiceLoader.
     */
    public CommandPatternMatcherProvider() {
    }

    @Override
    public String type() {
        return "cli-command";
    }

    @Override
    public MatcherScope scope() {
        return MatcherScope.CLI_COMMAND;
    }

    @Override
    public boolean claims(String pattern) {
        return true;
    }

    @Override
    public Matcher parse(String pattern, Function<String, Matcher> others) {
        String[] words = pattern.trim().split("\\s+");
        if (words.length > MAX_WORDS) {
            throw new IllegalArgumentException("more than " + MAX_WORDS + " words");
        }
        List<String> positional = new ArrayList<>();
        Map<String, Optional<String>> flags = new LinkedHashMap<>();
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            if (w.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("control character in pattern");
            }
            if (w.length() > 1 && w.startsWith("-") && !"--".equals(w)) {
                int eq = w.indexOf('=');
                if (eq > 0) {
                    flags.put(w.substring(0, eq), Optional.of(w.substring(eq + 1)));
                } else if (i + 1 < words.length && !words[i + 1].startsWith("-")) {
                    flags.put(w, Optional.of(words[++i]));
                } else {
                    flags.put(w, Optional.empty());
                }
            } else {
                positional.add(w);
            }
        }
        return new CommandMatcher(pattern, List.copyOf(positional), Map.copyOf(flags), positional.contains("*"));
    }

    private record CommandMatcher(String pattern, List<String> words, Map<String, Optional<String>> flags,
                                  boolean open) implements Matcher {
        @Override
        public String type() {
            return "cli-command";
        }

        @Override
        public boolean matches(Subject subject) {
            if (!(subject instanceof CommandLine line) || !flagsPresent(line)) {
                return false;
            }
            if (!open && !flags.keySet().containsAll(line.flags().keySet())) {
                return false;
            }
            return words(words, 0, line.positionals(), 0);
        }

        @Override
        public boolean matchesAsDeny(Subject subject) {
            if (!(subject instanceof CommandLine line) || !flagsPresent(line)) {
                return false;
            }
            List<String> prefix = new ArrayList<>(words);
            prefix.add("*");
            return words(prefix, 0, line.positionals(), 0);
        }

        private boolean flagsPresent(CommandLine line) {
            for (var flag : flags.entrySet()) {
                List<String> values = line.flags().get(flag.getKey());
                if (values == null) {
                    return false;
                }
                if (flag.getValue().isPresent()
                        && values.stream().noneMatch(v -> NameGlobMatcherProvider.glob(flag.getValue().get(), v))) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Token-level glob; a lone '*' spans any run of tokens. Dynamic programming over (pattern, argument) keeps it
         * at most words x arguments steps, whatever an agent sends.
         */
        private static boolean words(List<String> pattern, int p0, List<String> args, int a0) {
            int np = pattern.size();
            int na = args.size();
            // can[p][a]: pattern[p..] matches args[a..]
            boolean[][] can = new boolean[np + 1][na + 1];
            can[np][na] = true;
            for (int p = np - 1; p >= p0; p--) {
                String w = pattern.get(p);
                for (int a = na; a >= a0; a--) {
                    if ("*".equals(w)) {
                        can[p][a] = can[p + 1][a] || (a < na && can[p][a + 1]);
                    } else {
                        can[p][a] = a < na && can[p + 1][a + 1] && NameGlobMatcherProvider.glob(w, args.get(a));
                    }
                }
            }
            return can[p0][a0];
        }
    }
}
