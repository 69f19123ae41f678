package kap.policy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import kap.testing.Eventually;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Grants: a human's approval opens what no rule allows, for a while or once, never past a deny rule.
 */
@Timeout(20)
class GrantTest {

    private static final KapConfig CONFIG = ConfigLoader.parse("""
            [proxy.network]
            allow = ["github.com"]
            deny = ["gist.github.com"]
            [mcp]
            [[mcp.servers]]
            name = "github"
            allow = ["get_*"]
            [cli]
            [[cli.tools]]
            name = "gh"
            allow = ["pr *"]
            """, Path.of("kap.toml"), ListenDefaults.CONTAINER).config();

    @TempDir
    Path dir;

    private static Grant grant(String id, Grant.Scope scope, String pattern, Duration left, boolean once) {
        Instant now = Instant.now();
        return new Grant(id, scope, pattern, now.plus(left), once, now, "test");
    }

    private static Policy with(Grant... grants) {
        return Policy.of(CONFIG, Policies.CLASSIFIER, List.of(grants), GrantLedger.inMemory());
    }

    @Test
    void aNetworkGrantAllowsWhatNoRuleDid() {
        Decision d = with(grant("g1", Grant.Scope.NETWORK, "example.com", Duration.ofMinutes(5), false))
                .decideHost(HostPort.of("example.com", 443));
        assertThat(d.allowed(), is(true));
        assertThat(d.reason(), is(Reasons.ALLOWED_BY_GRANT));
        assertThat(d.rule(), is(Optional.of("grant g1: example.com")));
    }

    @Test
    void aGrantNeverOverridesADenyRule() {
        Decision d = with(grant("g1", Grant.Scope.NETWORK, "gist.github.com", Duration.ofMinutes(5), false))
                .decideHost(HostPort.of("gist.github.com", 443));
        assertThat(d.allowed(), is(false));
        assertThat(d.reason(), is(Reasons.DENIED_BY_RULE));
    }

    @Test
    void anExpiredGrantAllowsNothing() {
        Policy p = with(grant("g1", Grant.Scope.NETWORK, "example.com", Duration.ofSeconds(-1), false));
        assertThat(p.decideHost(HostPort.of("example.com", 443)).allowed(), is(false));
        assertThat(p.activeGrants(), is(empty()));
    }

    @Test
    void aOneTimeGrantOpensExactlyOneRequest() {
        Policy p = with(grant("g1", Grant.Scope.NETWORK, "example.com", Duration.ofMinutes(5), true));
        assertThat(p.decideName("example.com").allowed(), is(true));
        assertThat("resolving does not use it up", p.decideName("example.com").allowed(), is(true));
        assertThat(p.decideHost(HostPort.of("example.com", 443)).allowed(), is(true));
        assertThat(p.decideHost(HostPort.of("example.com", 443)).allowed(), is(false));
    }

    @Test
    void aGrantKeepsThePortRulesOfItsPattern() {
        Policy p = with(grant("g1", Grant.Scope.NETWORK, "example.com:8443", Duration.ofMinutes(5), false));
        assertThat(p.decideHost(HostPort.of("example.com", 8443)).allowed(), is(true));
        assertThat(p.decideHost(HostPort.of("example.com", 443)).allowed(), is(false));
        assertThat("the name resolves for the granted port", p.decideName("example.com").allowed(), is(true));
    }

    @Test
    void mcpAndCliGrantsApplyToTheirServerAndTool() {
        Policy p = with(grant("m", Grant.Scope.MCP, "github/create_issue", Duration.ofMinutes(5), false),
                grant("c", Grant.Scope.CLI, "gh issue create *", Duration.ofMinutes(5), false));
        assertThat(p.decideMcpTool("github", "create_issue").reason(), is(Reasons.ALLOWED_BY_GRANT));
        assertThat(p.decideMcpTool("github", "delete_repo").allowed(), is(false));
        assertThat(p.decideCommand("gh", List.of("issue", "create", "--title", "x"), FlagSpec.NONE).reason(),
                is(Reasons.ALLOWED_BY_GRANT));
        assertThat(p.decideCommand("gh", List.of("repo", "delete"), FlagSpec.NONE).allowed(), is(false));
    }

    @Test
    void aGrantWithAnInvalidPatternIsIgnoredAndReported() {
        Policy p = with(grant("bad", Grant.Scope.NETWORK, "*hub.com", Duration.ofMinutes(5), false));
        assertThat(p.grantProblems().getFirst(), containsString("grant bad '*hub.com'"));
        assertThat(p.decideHost(HostPort.of("github.com", 443)).allowed(), is(true));
    }

    @Test
    void theGrantsFileRoundTripsAndRefusesMalformedEntries() throws Exception {
        Path file = dir.resolve("grants.json");
        Grant g = grant("g1", Grant.Scope.CLI, "gh issue create *", Duration.ofMinutes(5), true);
        Grants.write(file, List.of(g));
        assertThat(Grants.read(file), is(List.of(g)));
        assertThat(Grants.read(dir.resolve("absent.json")), is(empty()));
        Files.writeString(file, "[{\"id\":\"x\",\"scope\":\"teleport\",\"pattern\":\"a\",\"expires_at\":\"2030-01-01T00:00:00Z\"}]");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Grants.read(file));
        assertThat(e.getMessage(), containsString("grants.json[0]"));
        Files.writeString(file, "[{\"id\":\"x\",\"id\":\"y\"}]");
        assertThrows(Exception.class, () -> Grants.read(file));
    }

    @Test
    void aLiveGrantAppliesWithinOneSecondAndAUsedOneTimeGrantLeavesTheFile() throws Exception {
        Path config = dir.resolve("kap.toml");
        Files.writeString(config, "[proxy.network]\nallow = [\"github.com\"]\n");
        Path grants = dir.resolve("state/grants.json");
        try (LivePolicy live = LivePolicy.start(new ConfigFiles(Optional.of(config), List.of(),
                ListenDefaults.CONTAINER, Optional.of(grants)), Policies.CLASSIFIER, LivePolicy.DEFAULT_INTERVAL)) {
            AtomicInteger reloads = new AtomicInteger();
            live.onReload(p -> reloads.incrementAndGet());
            assertThat(live.current().decideHost(HostPort.of("example.com", 443)).allowed(), is(false));
            Grants.write(grants, List.of(grant("g1", Grant.Scope.NETWORK, "example.com", Duration.ofMinutes(5), true)));
            assertThat(Eventually.within(Duration.ofSeconds(1),
                    () -> live.current().decideName("example.com").allowed()), notNullValue());
            assertThat(live.current().decideHost(HostPort.of("example.com", 443)).allowed(), is(true));
            assertThat(live.current().decideHost(HostPort.of("example.com", 443)).allowed(), is(false));
            assertThat(Eventually.within(Duration.ofSeconds(2), () -> {
                try {
                    return Grants.read(grants).isEmpty();
                } catch (Exception e) {
                    return false;
                }
            }), notNullValue());
        }
    }

    @Test
    void aDeletedGrantsFileRevokesEveryGrant() throws Exception {
        Path config = dir.resolve("kap.toml");
        Files.writeString(config, "[proxy.network]\nallow = [\"github.com\"]\n");
        Path grants = dir.resolve("grants.json");
        Grants.write(grants, List.of(grant("g1", Grant.Scope.NETWORK, "example.com", Duration.ofMinutes(5), false)));
        try (LivePolicy live = LivePolicy.start(new ConfigFiles(Optional.of(config), List.of(),
                ListenDefaults.CONTAINER, Optional.of(grants)), Policies.CLASSIFIER, LivePolicy.DEFAULT_INTERVAL)) {
            assertThat(live.current().decideHost(HostPort.of("example.com", 443)).allowed(), is(true));
            Files.delete(grants);
            assertThat(Eventually.within(Duration.ofSeconds(1),
                    () -> !live.current().decideHost(HostPort.of("example.com", 443)).allowed()), notNullValue());
        }
    }

    @Test
    void validateRefusesPatternsThePolicyCouldNotCompile() {
        assertThat(Grants.validate(grant("ok", Grant.Scope.MCP, "github/create_*", Duration.ofMinutes(1), false))
                .id(), is("ok"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Grants.validate(
                grant("bad", Grant.Scope.NETWORK, "*hub.com", Duration.ofMinutes(1), false)));
        assertThat(e.getMessage(), containsString("wildcard"));
        assertThrows(IllegalArgumentException.class, () -> Grants.validate(
                grant("m", Grant.Scope.MCP, "create_issue", Duration.ofMinutes(1), false)));
        assertThrows(IllegalArgumentException.class, () -> Grants.validate(
                grant("c", Grant.Scope.CLI, "gh", Duration.ofMinutes(1), false)));
    }

    @Test
    void updateGrantsWritesPrunesExpiredAndAppliesAtOnce() throws Exception {
        Path config = dir.resolve("kap.toml");
        Files.writeString(config, "[proxy.network]\nallow = [\"github.com\"]\n");
        Path grants = dir.resolve("grants.json");
        Grants.write(grants, List.of(grant("old", Grant.Scope.NETWORK, "old.example", Duration.ofSeconds(-5), false)));
        try (LivePolicy live = LivePolicy.start(new ConfigFiles(Optional.of(config), List.of(),
                ListenDefaults.CONTAINER, Optional.of(grants)), Policies.CLASSIFIER, Duration.ofHours(1))) {
            List<Grant> written = live.updateGrants(now -> {
                List<Grant> next = new java.util.ArrayList<>(now);
                next.add(grant("g2", Grant.Scope.NETWORK, "example.com", Duration.ofMinutes(5), false));
                return next;
            });
            assertThat(written.stream().map(Grant::id).toList(), is(List.of("g2")));
            assertThat(Grants.read(grants).stream().map(Grant::id).toList(), is(List.of("g2")));
            assertThat("applied without waiting for the watcher",
                    live.current().decideHost(HostPort.of("example.com", 443)).reason(), is(Reasons.ALLOWED_BY_GRANT));
            live.updateGrants(now -> List.of());
            assertThat(live.current().decideHost(HostPort.of("example.com", 443)).allowed(), is(false));
        }
    }

    @Test
    void updateGrantsNeedsAGrantsFile() throws Exception {
        try (LivePolicy live = LivePolicy.loadOnce(new ConfigFiles(Optional.empty(), List.of(),
                ListenDefaults.CONTAINER), Policies.CLASSIFIER)) {
            assertThrows(IllegalStateException.class, () -> live.updateGrants(g -> g));
        }
    }
}
