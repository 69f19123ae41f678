package kap.remote;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import kap.policy.AuditEvent;
import kap.policy.ConfigLoader;
import kap.policy.ListenDefaults;
import kap.policy.Reasons;
import kap.policy.Rule;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A permanent approval adds one entry to the right allow list and leaves every other byte of kap.toml as it was.
 */
class TomlEditTest {

    private static final String CONFIG = """
            # kap.toml for the shop
            [proxy]
            listen = "127.0.0.1:3128" # local

            [proxy.network]
            # who we talk to
            allow = [
                "github.com",      # code
                "registry.npmjs.org", # packages, "quoted ] bracket" in a comment
            ]
            deny = ["gist.github.com"]

            [mcp]
            [[mcp.servers]]
            name = "linear"
            allow = ["list_*"]

            [[mcp.servers]]
            name = 'github' # the GitHub server
            allow = ["get_*", "search_*"] # read only

            [cli]
            [[cli.tools]]
            name = "gh"
            allow = ["pr *"] # pull requests only
            """;

    @TempDir
    Path dir;

    private static java.util.List<String> network(String text) {
        return ConfigLoader.parse(text, Path.of("kap.toml"), ListenDefaults.local()).config().proxy().network()
                .allow().stream().map(Rule::pattern).toList();
    }

    @Test
    void addsToAMultiLineArrayKeepingCommentsAndOrder() {
        String edited = TomlEdit.addNetworkAllow(CONFIG, "api.stripe.com");
        assertThat(edited, is(CONFIG.replace("""
                    "registry.npmjs.org", # packages, "quoted ] bracket" in a comment
                ]""", """
                    "registry.npmjs.org", # packages, "quoted ] bracket" in a comment
                    "api.stripe.com",
                ]""")));
        assertThat(network(edited), is(java.util.List.of("github.com", "registry.npmjs.org", "api.stripe.com")));
    }

    @Test
    void addsACommaWhenTheLastElementHasNone() {
        String text = "[proxy.network]\nallow = [\n  \"a.com\" # first\n]\n";
        String edited = TomlEdit.addNetworkAllow(text, "b.com");
        assertThat(edited, is("[proxy.network]\nallow = [\n  \"a.com\", # first\n  \"b.com\",\n]\n"));
    }

    @Test
    void addsToSingleLineAndEmptyArrays() {
        assertThat(TomlEdit.addNetworkAllow("[proxy.network]\nallow = [\"a.com\"] # x\n", "b.com"),
                is("[proxy.network]\nallow = [\"a.com\", \"b.com\"] # x\n"));
        assertThat(TomlEdit.addNetworkAllow("[proxy.network]\nallow = []\n", "b.com"),
                is("[proxy.network]\nallow = [\"b.com\"]\n"));
        assertThat(TomlEdit.addNetworkAllow("[proxy.network]\nallow = [\"a.com\",]\n", "b.com"),
                is("[proxy.network]\nallow = [\"a.com\", \"b.com\",]\n"));
    }

    @Test
    void createsTheKeyOrTheTableWhenMissing() {
        assertThat(TomlEdit.addNetworkAllow("[proxy.network]\ndeny = [\"x.com\"]\n", "b.com"),
                is("[proxy.network]\nallow = [\"b.com\"]\ndeny = [\"x.com\"]\n"));
        String created = TomlEdit.addNetworkAllow("# empty\n[proxy]\nlisten = \"127.0.0.1:3128\"", "b.com");
        assertThat(created, is("# empty\n[proxy]\nlisten = \"127.0.0.1:3128\"\n\n[proxy.network]\nallow = [\"b.com\"]\n"));
        assertThat(network(created), is(java.util.List.of("b.com")));
    }

    @Test
    void addsToTheNamedMcpServerAndCliTool() {
        String mcp = TomlEdit.addOwnedAllow(CONFIG, "mcp.servers", "github", "create_issue");
        assertThat(mcp, containsString("allow = [\"get_*\", \"search_*\", \"create_issue\"] # read only"));
        assertThat(mcp, containsString("allow = [\"list_*\"]\n"));
        String cli = TomlEdit.addOwnedAllow(CONFIG, "cli.tools", "gh", "issue create *");
        assertThat(cli, containsString("allow = [\"pr *\", \"issue create *\"] # pull requests only"));
        var config = ConfigLoader.parse(cli, Path.of("kap.toml"), ListenDefaults.local()).config();
        assertThat(config.cli().orElseThrow().tool("gh").orElseThrow().allow().getLast().pattern(),
                is("issue create *"));
    }

    @Test
    void refusesLayoutsItCannotEditSafely() {
        IllegalArgumentException inline = assertThrows(IllegalArgumentException.class,
                () -> TomlEdit.addNetworkAllow("[proxy]\nnetwork = { allow = [\"a.com\"] }\n", "b.com"));
        assertThat(inline.getMessage(), containsString("inline table"));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> TomlEdit.addOwnedAllow(CONFIG, "mcp.servers", "jira", "x"));
        assertThat(missing.getMessage(), containsString("no [[mcp.servers]] entry with name = \"jira\""));
        assertThrows(IllegalArgumentException.class,
                () -> TomlEdit.addNetworkAllow("[proxy.network]\nallow = \"a.com\"\n", "b.com"));
        assertThrows(IllegalArgumentException.class,
                () -> TomlEdit.addNetworkAllow("[proxy.network]\nallow = [\"a.com\"\n", "b.com"));
    }

    @Test
    void quotesWhatItWrites() {
        assertThat(TomlEdit.quote("a\"b\\c\n"), is("\"a\\\"b\\\\c\\u000a\""));
    }

    @Test
    void aPermanentApprovalEditsTheFileOnlyWhenTheResultLoads() throws Exception {
        Path file = dir.resolve("kap.toml");
        Files.writeString(file, CONFIG);
        Approvable approvable = Approvable.of(event("egress", "api.stripe.com:443")).orElseThrow();
        assertThat(PermanentApproval.apply(file, approvable), is(true));
        assertThat(network(Files.readString(file)).contains("api.stripe.com"), is(true));
        assertThat("twice is a no-op", PermanentApproval.apply(file, approvable), is(false));
        Path broken = dir.resolve("broken.toml");
        String bad = "[proxy.network]\nallow = [\"a.com\"]\n[proxy.network]\n";
        Files.writeString(broken, bad);
        assertThrows(IllegalArgumentException.class, () -> PermanentApproval.apply(broken, approvable));
        assertThat("left as it was", Files.readString(broken), is(bad));
    }

    static AuditEvent event(String source, String subject) {
        return new AuditEvent(Instant.now(), source, subject, AuditEvent.Outcome.DENY, Reasons.NO_RULE_MATCHED,
                Optional.empty(), Optional.empty(), Map.of());
    }
}
