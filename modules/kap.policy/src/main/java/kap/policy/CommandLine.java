package kap.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One reading of a CLI invocation's arguments: the positional words and the flags with their values.
 *
 * <p>Without knowing a tool, {@code --repo x auth token} can be read two ways: {@code --repo} takes {@code x}, or it
 * is a switch and {@code x} is the first word. {@link #readings} returns every reading; a command is allowed only if
 * it is allowed under all of them, so a flag placed before the subcommand cannot hide it from a deny rule.
 *
 * @param args the argv after the tool name, exactly as received
 * @param positionals the words that are not flags or flag values, in order
 * @param flags flag name (as written, such as {@code --method}) to the values it was given; a switch has {@code ""}
 */
public record CommandLine(List<String> args, List<String> positionals, Map<String, List<String>> flags)
        implements Subject {

    /** More ambiguous flags than this and the command is not judged at all (denied). */
    public static final int MAX_AMBIGUOUS_FLAGS = 10;

    /**
     * Copies the collections.
     */
    public CommandLine {
        args = List.copyOf(args);
        positionals = List.copyOf(positionals);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        flags.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        flags = java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * Every way the arguments can be read, given what is known about the tool's flags.
     *
     * @param args argv after the tool name
     * @param spec the tool's known flags; {@link FlagSpec#NONE} if nothing is known
     * @return the readings, at least one
     * @throws IllegalArgumentException if more than {@link #MAX_AMBIGUOUS_FLAGS} flags are ambiguous
     */
    public static List<CommandLine> readings(List<String> args, FlagSpec spec) {
        List<Integer> ambiguous = new ArrayList<>();
        boolean endOfFlags = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if ("--".equals(a)) {
                endOfFlags = true;
            }
            if (!endOfFlags && isFlag(a) && a.indexOf('=') < 0 && !spec.switches().contains(spec.canonical(a))
                    && !spec.valueFlags().contains(spec.canonical(a)) && i + 1 < args.size()
                    && !isFlag(args.get(i + 1)) && !"--".equals(args.get(i + 1))) {
                ambiguous.add(i);
            }
        }
        if (ambiguous.size() > MAX_AMBIGUOUS_FLAGS) {
            throw new IllegalArgumentException(ambiguous.size() + " flags whose values are ambiguous");
        }
        List<CommandLine> result = new ArrayList<>(1 << ambiguous.size());
        for (int mask = 0; mask < (1 << ambiguous.size()); mask++) {
            result.add(read(args, spec, ambiguous, mask));
        }
        return result;
    }

    private static CommandLine read(List<String> args, FlagSpec spec, List<Integer> ambiguous, int mask) {
        List<String> positionals = new ArrayList<>();
        Map<String, List<String>> flags = new LinkedHashMap<>();
        boolean endOfFlags = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (endOfFlags || !isFlag(a)) {
                positionals.add(a);
                continue;
            }
            if ("--".equals(a)) {
                endOfFlags = true;
                continue;
            }
            int eq = a.indexOf('=');
            if (eq > 0) {
                flags.computeIfAbsent(spec.canonical(a.substring(0, eq)), k -> new ArrayList<>()).add(a.substring(eq + 1));
                continue;
            }
            String name = spec.canonical(a);
            int slot = ambiguous.indexOf(i);
            boolean takesValue = slot >= 0 ? (mask & (1 << slot)) != 0
                    : spec.valueFlags().contains(name) && i + 1 < args.size();
            if (takesValue) {
                flags.computeIfAbsent(name, k -> new ArrayList<>()).add(args.get(++i));
            } else {
                flags.computeIfAbsent(name, k -> new ArrayList<>()).add("");
            }
        }
        return new CommandLine(args, positionals, flags);
    }

    private static boolean isFlag(String a) {
        return a.length() > 1 && a.charAt(0) == '-';
    }
}
