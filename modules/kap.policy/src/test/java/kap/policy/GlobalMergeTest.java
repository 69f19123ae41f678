package kap.policy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The global {@code ~/.kap/kap.toml} merge follows the original's rules.
 */
class GlobalMergeTest {

    @TempDir
    Path dir;

    private KapConfig merged() {
        Path project = Fixtures.copy("merge/project.toml", dir);
        Path global = Fixtures.copy("merge/global.toml", dir);
        return ConfigLoader.load(new ConfigFiles(Optional.of(project), List.of(dir.resolve("absent.toml"), global),
                ListenDefaults.CONTAINER)).config();
    }

    @Test
    void networkListsAreGlobalFirstThenProject() {
        KapConfig c = merged();
        assertThat(c.proxy().network().allow().stream().map(Rule::pattern).toList(),
                contains("global.example", "project.example"));
        assertThat(c.proxy().network().deny().stream().map(Rule::pattern).toList(),
                contains("bad.global.example", "bad.project.example"));
    }

    @Test
    void aProjectToolWinsWholeAndGlobalToolsFillIn() {
        CliConfig cli = merged().cli().orElseThrow();
        assertThat(cli.tools().stream().map(CliTool::name).toList(), contains("gh", "aws"));
        assertThat(cli.tool("gh").orElseThrow().allow().getFirst().pattern(), is("pr *"));
    }

    @Test
    void globalMcpServersCreateTheTableInTheProject() {
        assertThat(merged().mcp().orElseThrow().servers().stream().map(McpServer::name).toList(),
                contains("context7"));
    }

    @Test
    void globalEnvFillsGapsAndProjectEnvWins() {
        assertThat(merged().env(), is(Map.of("SHARED", "project", "PROJECT_ONLY", "p", "GLOBAL_ONLY", "g")));
    }

    @Test
    void everythingElseComesFromTheProjectOnly() {
        assertThat(merged().sshAgent(), is(false));
    }

    @Test
    void theMergedPolicyDecidesWithBothFiles() {
        Policy policy = Policy.of(merged(), Policies.CLASSIFIER);
        assertThat(policy.decideHost(HostPort.of("global.example", 443)).allowed(), is(true));
        assertThat(policy.decideHost(HostPort.of("project.example", 443)).allowed(), is(true));
        assertThat(policy.decideHost(HostPort.of("bad.global.example", 443)).allowed(), is(false));
    }

    @Test
    void sourcesListTheProjectThenTheGlobalFile() {
        KapConfig c = merged();
        assertThat(c.sources().size(), is(2));
        assertThat(c.sources().get(1).getFileName().toString(), is("merge_global.toml"));
    }

    @Test
    void aBadRuleInTheGlobalFileIsReportedAgainstTheGlobalFile() {
        Path project = Fixtures.copy("merge/project.toml", dir);
        Path global = Fixtures.copy("merge/global_bad_rule.toml", dir);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(
                new ConfigFiles(Optional.of(project), List.of(global), ListenDefaults.CONTAINER)));
        assertThat(e.getMessage(), containsString(global + ":3: proxy.network.allow[0]: invalid rule '*hub.com'"));
    }

    @Test
    void aGlobalFileThatDoesNotParseIsAnErrorNotSkipped() throws Exception {
        Path project = Fixtures.copy("merge/project.toml", dir);
        Path global = dir.resolve("global.toml");
        java.nio.file.Files.writeString(global, "[proxy.network\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(
                new ConfigFiles(Optional.of(project), List.of(global), ListenDefaults.CONTAINER)));
        assertThat(e.getMessage(), containsString(global + ":1: invalid TOML"));
    }

    @Test
    void theEmbeddedDefaultIsMergedWithTheGlobalFileToo() {
        Path global = Fixtures.copy("merge/global.toml", dir);
        KapConfig c = ConfigLoader.load(new ConfigFiles(Optional.empty(), List.of(global), ListenDefaults.local()))
                .config();
        Policy policy = Policy.of(c, Policies.CLASSIFIER);
        assertThat(policy.decideHost(HostPort.of("global.example", 443)).allowed(), is(true));
        assertThat(policy.decideHost(HostPort.of("github.com", 443)).allowed(), is(true));
    }
}
