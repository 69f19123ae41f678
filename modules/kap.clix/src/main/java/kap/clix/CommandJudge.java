package kap.clix;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import kap.policy.CliTool;
import kap.policy.CommandLine;
import kap.policy.Decision;
import kap.policy.Policy;
import kap.policy.Reasons;
import kap.policy.Rule;

/**
 * Decides whether a proxied command may run. In order, with early returns:
 * <ol>
 *     <li>the tool names an unknown preset: denied ({@link Reasons#NOT_CONFIGURED}), since its deny rules would be
 *     missing;</li>
 *     <li>a deny rule of the preset matches any reading of the arguments: denied ({@link Reasons#DENIED_BY_RULE});</li>
 *     <li>otherwise the policy decides with the preset's flags ({@link Policy#decideCommand}): the tool's deny rules,
 *     then its allow rules, fail-closed.</li>
 * </ol>
 */
final class CommandJudge {

    private CommandJudge() {
    }

    /**
     * A decision and where its rule was written.
     *
     * @param decision the decision
     * @param origin {@code kap.toml:12}, {@code kap's gh preset}, or empty when no rule decided
     */
    record Judgement(Decision decision, Optional<String> origin) {
    }

    static Judgement judge(Policy policy, CliTool tool, Optional<Preset> preset, List<String> args) {
        if (preset.isEmpty()) {
            return new Judgement(Decision.denyByDefault(Reasons.NOT_CONFIGURED + ": unknown preset '"
                    + tool.preset().orElse("") + "' (known: " + String.join(", ", Presets.names()) + ", "
                    + Presets.NONE + ")"), Optional.empty());
        }
        Preset p = preset.get();
        if (!args.isEmpty() && !p.deny().isEmpty()) {
            List<CommandLine> readings;
            try {
                readings = CommandLine.readings(args, p.flags());
            } catch (IllegalArgumentException e) {
                return new Judgement(Decision.denyByDefault(Reasons.UNJUDGEABLE), Optional.empty());
            }
            for (Rule rule : p.deny()) {
                for (CommandLine reading : readings) {
                    if (rule.matcher().matchesAsDeny(reading)) {
                        return new Judgement(Decision.deny(Reasons.DENIED_BY_RULE, rule.pattern()),
                                Optional.of(rule.origin()));
                    }
                }
            }
        }
        Decision d = policy.decideCommand(tool.name(), args, p.flags());
        Optional<String> origin = d.rule().flatMap(pattern -> Stream.concat(tool.deny().stream(),
                tool.allow().stream()).filter(r -> r.pattern().equals(pattern)).map(Rule::origin).findFirst());
        return new Judgement(d, origin);
    }
}
