package kap.policy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * CLI command patterns over parsed argv: deny wins, flags cannot hide a subcommand, and allow patterns cover the
 * whole command.
 */
class CommandDecisionTest {

    private static final Policy POLICY = Policies.fromToml("""
            [cli]
            [[cli.tools]]
            name = "gh"
            allow = ["pr *", "issue *", "repo view *", "auth status", "api *", "search *"]
            deny = ["auth token", "api --method DELETE *", "* --hostname *", "pr merge"]
            """);

    record Case(String name, List<String> args, Verdict verdict, String reason, String rule) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("a subcommand under an allowed prefix", List.of("pr", "view", "123"), Verdict.ALLOW,
                        Reasons.ALLOWED_BY_RULE, "pr *"),
                new Case("the prefix word alone", List.of("pr"), Verdict.ALLOW, Reasons.ALLOWED_BY_RULE, "pr *"),
                new Case("a word that merely starts like the prefix", List.of("prune"), Verdict.DENY,
                        Reasons.NO_RULE_MATCHED, null),
                new Case("an exact allow", List.of("auth", "status"), Verdict.ALLOW, Reasons.ALLOWED_BY_RULE,
                        "auth status"),
                new Case("an exact allow does not admit extra flags", List.of("auth", "status", "--show-token"),
                        Verdict.DENY, Reasons.NO_RULE_MATCHED, null),
                new Case("an exact deny", List.of("auth", "token"), Verdict.DENY, Reasons.DENIED_BY_RULE,
                        "auth token"),
                new Case("a deny also covers longer forms", List.of("auth", "token", "--secure-storage"),
                        Verdict.DENY, Reasons.DENIED_BY_RULE, "auth token"),
                new Case("a flag before the subcommand does not hide it", List.of("--repo", "x", "auth", "token"),
                        Verdict.DENY, Reasons.DENIED_BY_RULE, "auth token"),
                new Case("a flag with = before the subcommand", List.of("--repo=x", "auth", "token"), Verdict.DENY,
                        Reasons.DENIED_BY_RULE, "auth token"),
                new Case("a deny naming a flag value", List.of("api", "repos/o/r", "--method", "DELETE"),
                        Verdict.DENY, Reasons.DENIED_BY_RULE, "api --method DELETE *"),
                new Case("a deny naming a flag value written with =", List.of("api", "--method=DELETE", "repos/o/r"),
                        Verdict.DENY, Reasons.DENIED_BY_RULE, "api --method DELETE *"),
                new Case("another flag value passes that deny", List.of("api", "--method", "GET", "repos/o/r"),
                        Verdict.ALLOW, Reasons.ALLOWED_BY_RULE, "api *"),
                new Case("a deny naming a flag anywhere", List.of("pr", "list", "--hostname", "evil.example"),
                        Verdict.DENY, Reasons.DENIED_BY_RULE, "* --hostname *"),
                new Case("an argument holding a space stays one argument", List.of("pr merge"), Verdict.DENY,
                        Reasons.NO_RULE_MATCHED, null),
                new Case("deny wins over an allow prefix", List.of("pr", "merge", "7"), Verdict.DENY,
                        Reasons.DENIED_BY_RULE, "pr merge"),
                new Case("shell metacharacters are plain words", List.of("search", "repos", "$(id);rm -rf /"),
                        Verdict.ALLOW, Reasons.ALLOWED_BY_RULE, "search *"),
                new Case("an unlisted subcommand", List.of("gist", "create"), Verdict.DENY, Reasons.NO_RULE_MATCHED,
                        null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decidesCommandWithReason(Case c) {
        Decision d = POLICY.decideCommand("gh", c.args(), FlagSpec.NONE);
        assertThat("verdict", d.verdict(), is(c.verdict()));
        assertThat("reason", d.reason(), is(c.reason()));
        assertThat("rule", d.rule(), is(Optional.ofNullable(c.rule())));
    }

    @Test
    void noArgumentsReachTheToolSoItCanPrintHelp() {
        assertThat(POLICY.decideCommand("gh", List.of(), FlagSpec.NONE).allowed(), is(true));
    }

    @Test
    void anUnknownToolIsNotConfigured() {
        assertThat(POLICY.decideCommand("aws", List.of("s3", "ls"), FlagSpec.NONE).reason(),
                is(Reasons.NOT_CONFIGURED));
    }

    @Test
    void tooManyAmbiguousFlagsAreNotJudged() {
        List<String> args = new java.util.ArrayList<>();
        for (int i = 0; i <= CommandLine.MAX_AMBIGUOUS_FLAGS; i++) {
            args.add("--f" + i);
            args.add("v" + i);
        }
        args.add("pr");
        Decision d = POLICY.decideCommand("gh", args, FlagSpec.NONE);
        assertThat(d.allowed(), is(false));
        assertThat(d.reason(), is(Reasons.UNJUDGEABLE));
    }

    @Test
    void aKnownValueFlagIsReadOneWayOnly() {
        FlagSpec gh = new FlagSpec(Set.of("--repo"), Set.of("--web"), Map.of("-R", "--repo"));
        List<CommandLine> readings = CommandLine.readings(List.of("-R", "o/r", "pr", "view", "--web"), gh);
        assertThat(readings.size(), is(1));
        assertThat(readings.getFirst().positionals(), is(List.of("pr", "view")));
        assertThat(readings.getFirst().flags(), is(Map.of("--repo", List.of("o/r"), "--web", List.of(""))));
    }

    @Test
    void anUnknownFlagFollowedByAWordIsReadBothWays() {
        List<CommandLine> readings = CommandLine.readings(List.of("--repo", "x", "auth", "token"), FlagSpec.NONE);
        assertThat(readings.size(), is(2));
        assertThat(readings.get(0).positionals(), is(List.of("x", "auth", "token")));
        assertThat(readings.get(1).positionals(), is(List.of("auth", "token")));
    }

    @Test
    void wordsAfterDoubleDashAreNeverFlags() {
        List<CommandLine> readings = CommandLine.readings(List.of("search", "--", "--hostname", "x"), FlagSpec.NONE);
        assertThat(readings.size(), is(1));
        assertThat(readings.getFirst().positionals(), is(List.of("search", "--hostname", "x")));
        assertThat(POLICY.decideCommand("gh", List.of("search", "--", "--hostname", "x"), FlagSpec.NONE).allowed(),
                is(true));
    }
}
