package kap.clix;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import kap.policy.AuditEvent;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * Debian's real {@code gh} and {@code aws} in proxy mode, offline: {@code gh}'s local subcommands, and {@code aws}
 * against a local S3-compatible server (s3rver) on loopback, with every credential and the endpoint on the sidecar
 * side only. Denied commands, including the flag-order evasion, are refused and audited.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RealCliTest {

    static final String GH_TOKEN = "ghp_kaptestTokenNeverLeaves0123456789";

    @TempDir
    static Path dir;

    static ClixFixture clix;
    static S3rver s3;

    @BeforeAll
    static void start() throws Exception {
        for (String cli : List.of("/usr/bin/gh", "/usr/bin/aws")) {
            if (!Files.isExecutable(Path.of(cli))) {
                throw new IllegalStateException(cli + " is missing: run scripts/test-prereqs.sh (apt-get install gh"
                        + " awscli)");
            }
        }
        s3 = S3rver.start(dir.resolve("s3"), "kap-test");
        clix = new ClixFixture(dir, """
                [cli]
                listen = "127.0.0.1:0"
                [[cli.tools]]
                name = "gh"
                allow = ["version", "help *", "config get *", "auth token"]
                env = ["GH_CONFIG_DIR"]
                [[cli.tools]]
                name = "aws"
                allow = ["s3 ls *", "s3 cp *", "--version"]
                fixed_args = ["--endpoint-url", "${S3_ENDPOINT}"]
                """);
        Path ghConfig = Files.createDirectories(dir.resolve("gh-config"));
        Files.writeString(ghConfig.resolve("config.yml"), "git_protocol: ssh\n");
        Files.writeString(clix.envFile, String.join("\n",
                "GH_TOKEN=" + GH_TOKEN,
                "GH_CONFIG_DIR=" + ghConfig,
                "AWS_ACCESS_KEY_ID=S3RVER",
                "AWS_SECRET_ACCESS_KEY=S3RVER",
                "AWS_DEFAULT_REGION=us-east-1",
                "AWS_CONFIG_FILE=/dev/null",
                "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
                "S3_ENDPOINT=" + s3.endpoint(), ""));
    }

    @AfterAll
    static void stop() throws Exception {
        if (clix != null) {
            clix.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void ghVersionAndHelpRunOnTheSidecar() throws Exception {
        ClixFixture.Run version = clix.shim("gh", List.of("version"));
        assertThat(version.err(), version.exit(), is(0));
        assertThat(version.out(), containsString("gh version 2."));
        ClixFixture.Run help = clix.shim("gh", List.of("help", "pr"));
        assertThat(help.err(), help.exit(), is(0));
        assertThat(help.out(), containsString("pull request"));
    }

    @Test
    void ghReadsItsConfigOnTheSidecar() throws Exception {
        ClixFixture.Run r = clix.shim("gh", List.of("config", "get", "git_protocol"));
        assertThat(r.err(), r.exit(), is(0));
        assertThat(r.out(), is("ssh\n"));
    }

    @Test
    void ghAuthTokenIsDeniedByThePresetEvenThoughAllowListsIt() throws Exception {
        ClixFixture.Run r = clix.shim("gh", List.of("auth", "token"));
        assertThat(r.exit(), is(126));
        assertThat(r.out(), not(containsString(GH_TOKEN)));
        assertThat(r.err(), containsString("denied by rule \"auth token\" (kap's gh preset)"));
        assertDeniedEvent("gh auth token", "auth token");
    }

    @Test
    void theFlagOrderEvasionIsDeniedToo() throws Exception {
        for (List<String> args : List.of(List.of("--repo", "x", "auth", "token"), List.of("-R", "o/r", "auth",
                "token"), List.of("--repo=x", "auth", "token"))) {
            ClixFixture.Run r = clix.shim("gh", args);
            assertThat(args.toString(), r.exit(), is(126));
            assertThat(r.out(), not(containsString(GH_TOKEN)));
            assertDeniedEvent("gh " + String.join(" ", args), "auth token");
        }
    }

    @Test
    void anUnlistedGhCommandIsDeniedBeforeItRuns() throws Exception {
        ClixFixture.Run r = clix.shim("gh", List.of("pr", "list"));
        assertThat(r.exit(), is(126));
        assertThat(r.err(), containsString("no rule matched"));
        assertThat(r.err(), containsString("allow = [\"pr list\"]"));
        assertDeniedEvent("gh pr list", null);
    }

    @Test
    void awsListsAndCopiesWithCredentialsOnlyOnTheSidecar() throws Exception {
        Files.writeString(clix.workspace.resolve("hello.txt"), "hello from the workspace\n");
        ClixFixture.Run cp = clix.shim("aws", List.of("s3", "cp", "hello.txt", "s3://kap-test/hello.txt"));
        assertThat(cp.err(), cp.exit(), is(0));
        ClixFixture.Run ls = clix.shim("aws", List.of("s3", "ls", "s3://kap-test/"));
        assertThat(ls.err(), ls.exit(), is(0));
        assertThat(ls.out(), containsString("hello.txt"));
        ClixFixture.Run buckets = clix.shim("aws", List.of("s3", "ls"));
        assertThat(buckets.err(), buckets.exit(), is(0));
        assertThat(buckets.out(), containsString("kap-test"));
        AuditEvent e = clix.lastEvent();
        assertThat(e.subject(), is("aws s3 ls"));
        assertThat(e.verdict(), is(AuditEvent.Outcome.ALLOW));
        assertThat(e.detail().get("exit_code"), is(0));
    }

    @Test
    void theAgentsOwnEndpointIsDenied() throws Exception {
        for (List<String> args : List.of(List.of("--endpoint-url", "http://127.0.0.1:9", "s3", "ls"),
                List.of("s3", "ls", "--endpoint-url=http://127.0.0.1:9"))) {
            ClixFixture.Run r = clix.shim("aws", args);
            assertThat(args.toString(), r.exit(), is(126));
            assertDeniedEvent("aws " + String.join(" ", args), "--endpoint-url");
        }
    }

    @Test
    void theCapsuleSideHasNoAwsVariables() throws Exception {
        // the shim runs with KAP_CLIX and PATH only; a variable the agent sets is ignored by the sidecar
        ClixFixture.Run r = clix.shim("aws", List.of("s3", "ls"), clix.workspace, "",
                Map.of("AWS_ACCESS_KEY_ID", "agent", "AWS_SECRET_ACCESS_KEY", "agent"));
        assertThat(r.err(), r.exit(), is(0));
        assertThat(r.out(), containsString("kap-test"));
    }

    private static void assertDeniedEvent(String subject, String rule) throws Exception {
        AuditEvent e = clix.lastEvent();
        assertThat(e.subject(), is(subject));
        assertThat(e.verdict(), is(AuditEvent.Outcome.DENY));
        assertThat(e.rule(), is(Optional.ofNullable(rule)));
        assertThat(e.source(), is("clix"));
    }
}
