package kap.policy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Loading: every key of the original plus kap's own, unknown-key warnings, the embedded default.
 */
class ConfigLoaderTest {

    @TempDir
    Path dir;

    private LoadResult load(String fixture) {
        Path file = Fixtures.copy(fixture, dir);
        return ConfigLoader.load(new ConfigFiles(Optional.of(file), List.of(), ListenDefaults.CONTAINER));
    }

    @Test
    void readsEveryKeyIntoTheModel() {
        LoadResult result = load("full.toml");
        KapConfig c = result.config();
        assertThat(result.warnings(), is(empty()));
        assertThat(c.sshAgent(), is(false));
        assertThat(c.sshSigning(), is(true));
        assertThat(c.env(), is(Map.of("GH_TOKEN", "$(gh auth token)", "API_KEY", "${HOST_API_KEY}")));
        assertThat(c.setup(), is(new Setup(true, false, true)));
        ProxyConfig p = c.proxy();
        assertThat(p.listen().toString(), is("0.0.0.0:3128"));
        assertThat(p.dnsListen().toString(), is("0.0.0.0:53"));
        assertThat(p.dnsUpstreams().stream().map(Endpoint::toString).toList(),
                contains("192.0.2.53:53", "[2001:db8::53]:5353"));
        assertThat(p.adminListen().toString(), is("127.0.0.1:3131"));
        assertThat(p.network().allow().stream().map(Rule::pattern).toList(),
                contains("github.com", "*.github.com", "github.com:22", "192.0.2.0/24"));
        assertThat(p.network().allow().get(2).origin(), containsString("full.toml:20"));
        assertThat(p.network().deny().stream().map(Rule::pattern).toList(), contains("gist.github.com"));
        assertThat(p.network().unsafeAllowCidrs().stream().map(Cidr::toString).toList(),
                contains("10.20.0.0/16", "fd00::/8"));
        assertThat(p.observe(), is(new ObserveConfig(Path.of("/tmp/kap/audit.jsonl"), 2048, 5)));
        assertThat(p.limits(), is(new LimitsConfig(100, 50, 8192, 4096, Duration.ofSeconds(5),
                Duration.ofSeconds(3), Duration.ofSeconds(90), Duration.ofMillis(500))));
        assertThat(p.dns(), is(new DnsConfig(DnsConfig.DeniedAnswer.REFUSED, true, 100, Duration.ofSeconds(1), 10, 20,
                40, 200)));
        McpConfig mcp = c.mcp().orElseThrow();
        assertThat(mcp.authDir(), is(Path.of("/etc/kap/auth")));
        McpServer github = mcp.server("github").orElseThrow();
        assertThat(github.headers(), is(Map.of("X-Api-Key", "${GITHUB_KEY}")));
        assertThat(github.denyPrompts().getFirst().pattern(), is("dangerous"));
        CliConfig cli = c.cli().orElseThrow();
        CliTool gh = cli.tool("gh").orElseThrow();
        assertThat(gh.mode(), is(CliMode.PROXY));
        assertThat(gh.env(), is(List.of("GH_TOKEN")));
        assertThat(gh.timeout(), is(Duration.ofMinutes(2)));
        assertThat(gh.maxOutputBytes(), is(1000L));
        assertThat(cli.tool("aws").orElseThrow().mode(), is(CliMode.DIRECT));
        assertThat(c.compose().orElseThrow().build().orElseThrow().target(), is(Optional.of("proxy")));
        assertThat(c.compose().orElseThrow().image(), is(Optional.of("kap-sidecar:local")));
    }

    @Test
    void warnsAboutUnknownKeysNamingTheLineAndTheClosestKnownKey() {
        List<ConfigProblem> warnings = load("unknown_keys.toml").warnings();
        List<String> text = warnings.stream().map(ConfigProblem::toString).toList();
        assertThat(text.toString(), warnings, hasSize(4));
        assertThat(text.get(0), containsString("unknown_keys.toml:1: warning: ssh_agnet: unknown key at the top level,"
                + " ignored; did you mean 'ssh_agent'?"));
        assertThat(text.get(1), containsString("unknown_keys.toml:4: warning: proxy.network.alow: unknown key in"
                + " [proxy.network], ignored; did you mean 'allow'?"));
        assertThat(text.get(2), containsString("unknown_keys.toml:10: warning: cli.tools[0].deny_list: unknown key in"
                + " [cli.tools], ignored; did you mean 'deny'?"));
        assertThat(text.get(3), containsString(":17: warning: mcp.servers[0].token_env: unknown key in [mcp.servers],"
                + " ignored; the closest known key is 'deny' (known here: name, allow, deny, headers,"));
    }

    @Test
    void aTypoInAllowIsNotSilentlyAnEmptyList() {
        Path file = dir.resolve("kap.toml");
        LoadResult result = ConfigLoader.parse("[proxy.network]\nalow = [\"github.com\"]\n", file,
                ListenDefaults.CONTAINER);
        List<String> text = result.warnings().stream().map(ConfigProblem::toString).toList();
        assertThat(text.toString(), text, hasSize(2));
        assertThat(text.get(0), containsString("did you mean 'allow'?"));
        assertThat(text.get(1), containsString("no allowed domains configured"));
    }

    @Test
    void reportsSeveralErrorsOfOneFileTogether() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("""
                [proxy]
                listen = "nowhere"
                [proxy.network]
                allow = ["*hub.com"]
                """, dir.resolve("kap.toml"), ListenDefaults.CONTAINER));
        assertThat(e.getMessage().lines().toList(), hasSize(2));
        assertThat(e.getMessage(), containsString("kap.toml:2: proxy.listen"));
        assertThat(e.getMessage(), containsString("kap.toml:4: proxy.network.allow[0]"));
    }

    @Test
    void aMissingProjectFileIsAnErrorNotAnEmptyPolicy() {
        Path missing = dir.resolve("nope.toml");
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(new ConfigFiles(Optional.of(missing), List.of(), ListenDefaults.CONTAINER)));
        assertThat(e.getMessage(), is(missing + ": file not found"));
    }

    @Test
    void theEmbeddedDefaultLoadsCleanlyAndAllowsTheCommonEcosystems() {
        LoadResult result = ConfigLoader.load(new ConfigFiles(Optional.empty(), List.of(), ListenDefaults.local()));
        assertThat(result.warnings(), is(empty()));
        Policy policy = Policy.of(result.config(), Policies.CLASSIFIER);
        for (String host : List.of("github.com", "api.github.com", "objects.githubusercontent.com",
                "api.anthropic.com", "registry.npmjs.org", "pypi.org", "files.pythonhosted.org", "crates.io",
                "static.crates.io", "repo.maven.apache.org", "repo1.maven.org", "proxy.golang.org", "rubygems.org",
                "deb.debian.org", "archive.ubuntu.com", "api.openai.com")) {
            assertThat(host, policy.decideHost(HostPort.of(host, 443)).allowed(), is(true));
        }
        for (String host : List.of("example.com", "pastebin.com", "mystorage.blob.core.windows.net",
                "storage.googleapis.com")) {
            assertThat(host, policy.decideHost(HostPort.of(host, 443)).allowed(), is(false));
        }
        assertThat(result.config().sources(), is(empty()));
        assertThat(result.config().proxy().listen().toString(), is("127.0.0.1:3128"));
    }

    @Test
    void theMcpAuthDirectoryDefaultsToWhereKapMcpAddWritesOnTheUsersMachine() {
        KapConfig local = ConfigLoader.parse("[mcp]\n", dir.resolve("kap.toml"), ListenDefaults.local()).config();
        assertThat(local.mcp().orElseThrow().authDir(),
                is(Path.of(System.getProperty("user.home"), ".kap", "auth")));
        KapConfig container = ConfigLoader.parse("[mcp]\n", dir.resolve("kap.toml"), ListenDefaults.CONTAINER).config();
        assertThat(container.mcp().orElseThrow().authDir(), is(Path.of("/etc/kap/auth")));
    }

    @Test
    void theTemplateThatInitWritesRoundTripsThroughTheLoader() throws Exception {
        Path file = dir.resolve("kap.toml");
        Files.writeString(file, ConfigLoader.defaultTemplate());
        LoadResult result = ConfigLoader.load(new ConfigFiles(Optional.of(file), List.of(), ListenDefaults.CONTAINER));
        assertThat(result.warnings(), is(empty()));
        assertThat(result.config().proxy().network().allow().size(), is(44));
        assertThat(result.config().proxy().listen().toString(), is("0.0.0.0:3128"));
    }
}
