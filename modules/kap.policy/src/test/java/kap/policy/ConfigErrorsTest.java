package kap.policy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every validation error names the file, the line and the key, with a message that says how to fix it. One broken
 * fixture per scenario, under {@code src/test/resources/policy/}.
 */
class ConfigErrorsTest {

    @TempDir
    Path dir;

    record Case(String fixture, int line, String key, String message) {
        @Override
        public String toString() {
            return fixture;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("unknown_mode.toml", 5, "cli.tools[0].mode", "must be \"proxy\" or \"direct\", found \"remote\""),
                new Case("duplicate_tool.toml", 7, "cli.tools[1].name", "CLI tool 'gh': duplicate tool name"),
                new Case("direct_with_allow.toml", 2, "cli.tools[0]",
                        "CLI tool 'aws': allow/deny are not supported in direct mode"),
                new Case("proxy_deny_only.toml", 2, "cli.tools[0].allow",
                        "CLI tool 'gh': proxy mode requires at least one allow pattern (use allow = [\"*\"]"),
                new Case("mcp_without_allow.toml", 2, "mcp.servers[0].allow",
                        "MCP server 'github': requires at least one allow pattern"),
                new Case("duplicate_server.toml", 6, "mcp.servers[1].name", "MCP server 'github': duplicate server name"),
                new Case("empty_tool_name.toml", 3, "cli.tools[0].name", "CLI tool has empty name"),
                new Case("missing_server_name.toml", 2, "mcp.servers[0].name", "MCP server has empty name"),
                new Case("unsafe_tool_name.toml", 3, "cli.tools[0].name", "use letters, digits"),
                new Case("bad_listen.toml", 2, "proxy.listen", "'localhost' is not an IP address"),
                new Case("listen_without_port.toml", 2, "proxy.dns_listen", "missing port in 127.0.0.1"),
                new Case("admin_on_capsule_side.toml", 3, "proxy.admin_listen",
                        "must not share an address with a capsule-facing listener"),
                new Case("admin_on_capsule_ip.toml", 3, "proxy.admin_listen",
                        "must not be on the capsule's network: use a loopback address"),
                new Case("admin_on_wildcard.toml", 2, "proxy.admin_listen",
                        "must bind one address that the capsule cannot reach, such as 127.0.0.1, not 0.0.0.0:3131"),
                new Case("bad_cidr.toml", 5, "proxy.network.unsafe_allow_cidrs[1]",
                        "host bits set in 10.0.0.1/8 (did you mean 10.0.0.0/8?)"),
                new Case("bad_duration.toml", 2, "proxy.limits.idle_timeout", "invalid duration \"10 minutes\""),
                new Case("zero_duration.toml", 2, "proxy.limits.header_timeout", "duration must be positive"),
                new Case("out_of_range.toml", 2, "proxy.limits.max_tunnels", "must be between 1 and 1000000, found 0"),
                new Case("wrong_type.toml", 1, "ssh_agent", "expected true or false, found the string \"yes\""),
                new Case("list_of_numbers.toml", 4, "proxy.network.allow[1]", "expected a string, found the integer 443"),
                new Case("syntax_error.toml", 5, "", "invalid TOML"),
                new Case("duplicate_key.toml", 3, "", "defined twice"),
                new Case("bad_env_name.toml", 2, "env.GH TOKEN", "'GH TOKEN' is not a valid environment variable name"),
                new Case("bad_dns_answer.toml", 2, "proxy.dns.denied_answer", "must be \"nxdomain\" or \"refused\""),
                new Case("compose_without_context.toml", 2, "compose.build.context", "context is required"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void namesTheFileLineAndKeyOfEachError(Case c) {
        Path file = Fixtures.copy(c.fixture(), dir);
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(new ConfigFiles(Optional.of(file), List.of(), ListenDefaults.CONTAINER)));
        ConfigProblem error = e.problems().stream().filter(p -> p.severity() == ConfigProblem.Severity.ERROR)
                .findFirst().orElseThrow();
        assertThat(error.toString(), error.file(), is(Optional.of(file)));
        assertThat(error.toString(), error.line(), is(c.line()));
        assertThat(error.toString(), error.key(), is(c.key()));
        assertThat(error.message(), containsString(c.message()));
        assertThat(e.getMessage(), containsString(file + ":" + c.line() + ": "));
    }
}
