package kap.clix;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import kap.policy.CommandLine;
import kap.policy.Decision;
import kap.policy.Reasons;

/**
 * What a denied command tells the agent: what was blocked and by which rule, that other ways fail too, and how a
 * human allows it.
 */
final class Denials {

    private Denials() {
    }

    /**
     * The denial text, without the {@code kap: } prefixes that {@link Replies} adds.
     *
     * @param tool tool name
     * @param subject the command as audited
     * @param judgement the decision and its rule's origin
     * @param preset the tool's preset, if known
     * @param config the policy file, if any
     * @param args the arguments
     * @return lines of text
     */
    static String message(String tool, String subject, CommandJudge.Judgement judgement, Optional<Preset> preset,
                          Optional<Path> config, List<String> args) {
        Decision d = judgement.decision();
        String file = config.map(p -> "kap.toml (" + p + ")").orElse("kap.toml");
        StringBuilder m = new StringBuilder();
        m.append("`").append(subject).append("` was denied by kap's CLI policy: ").append(d.reason());
        d.rule().ifPresent(r -> m.append(" \"").append(r).append("\""));
        judgement.origin().ifPresent(o -> m.append(" (").append(o).append(")"));
        m.append(".\n");
        m.append(tool).append(" runs on the kap sidecar, which holds its credentials. The capsule has neither the"
                + " credentials nor a network route to the service, so running it another way (another binary, curl,"
                + " the API) fails too.\n");
        m.append(howToAllow(tool, d, judgement.origin(), preset, file, args));
        m.append("A human can also approve a single command from kap's phone UI (kap remote), where approvals are"
                + " turned on.");
        return m.toString();
    }

    private static String howToAllow(String tool, Decision d, Optional<String> origin, Optional<Preset> preset,
                                     String file, List<String> args) {
        String entry = "the [[cli.tools]] entry with name = \"" + tool + "\" in " + file;
        if (d.reason().startsWith(Reasons.NOT_CONFIGURED) && d.reason().contains("unknown preset")) {
            return "The tool's preset is unknown, so it runs nothing; a human fixes preset = ... in " + entry + ".\n";
        }
        if (d.reason().startsWith(Reasons.NOT_CONFIGURED)) {
            return "No tool named " + tool + " is configured for the CLI proxy; a human adds one to " + file
                    + ", for example: [[cli.tools]] name = \"" + tool + "\" allow = [\"" + suggestion(args, preset)
                    + "\"].\n";
        }
        if (Reasons.DENIED_BY_RULE.equals(d.reason()) && origin.filter(o -> o.startsWith("kap's")).isPresent()) {
            return "That rule is part of kap's " + preset.map(Preset::name).orElse(tool) + " preset, which keeps the"
                    + " credentials from leaking; only preset = \"none\" in " + entry + " drops it, with every other"
                    + " rule of the preset (not recommended).\n";
        }
        if (Reasons.DENIED_BY_RULE.equals(d.reason())) {
            return "To allow it, a human removes that pattern from deny in " + entry + ".\n";
        }
        return "To allow it, a human adds a pattern to allow in " + entry + ", for example: allow = [\""
                + suggestion(args, preset) + "\"].\n";
    }

    /** The command's first words, widened with {@code *} when there are more. */
    static String suggestion(List<String> args, Optional<Preset> preset) {
        List<String> words;
        try {
            words = CommandLine.readings(args, preset.orElse(Preset.NONE).flags()).getLast().positionals();
        } catch (IllegalArgumentException e) {
            words = args;
        }
        List<String> plain = words.stream().takeWhile(w -> w.matches("[A-Za-z0-9][A-Za-z0-9._-]*")).limit(2)
                .toList();
        if (plain.isEmpty()) {
            return "*";
        }
        return String.join(" ", plain) + (words.size() > plain.size() || args.size() > plain.size() ? " *" : "");
    }
}
