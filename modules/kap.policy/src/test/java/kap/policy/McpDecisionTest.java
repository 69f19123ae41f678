package kap.policy;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * MCP name globs: case-sensitive, deny wins, an unknown server is not configured.
 */
class McpDecisionTest {

    private final Policy policy = Policies.fromToml("""
            [mcp]
            [[mcp.servers]]
            name = "github"
            allow = ["get_*", "list_*", "search_code"]
            deny = ["get_secret*"]
            allow_resources = ["repo://public/*"]
            allow_prompts = ["summarize"]
            [[mcp.servers]]
            name = "everything"
            allow = ["*"]
            """);

    @Test
    void allowsAToolMatchingAPrefixGlob() {
        Decision d = policy.decideMcpTool("github", "get_issue");
        assertThat(d.allowed(), is(true));
        assertThat(d.rule(), is(Optional.of("get_*")));
    }

    @Test
    void deniesAToolTheDenyGlobMatchesEvenThoughAnAllowGlobDoes() {
        Decision d = policy.decideMcpTool("github", "get_secret_token");
        assertThat(d.allowed(), is(false));
        assertThat(d.reason(), is(Reasons.DENIED_BY_RULE));
        assertThat(d.rule(), is(Optional.of("get_secret*")));
    }

    @Test
    void matchesNamesCaseSensitively() {
        assertThat(policy.decideMcpTool("github", "GET_ISSUE").allowed(), is(false));
        assertThat(policy.decideMcpTool("github", "search_code").allowed(), is(true));
        assertThat(policy.decideMcpTool("github", "search_code2").allowed(), is(false));
    }

    @Test
    void aLoneStarAllowsEveryToolIncludingTheEmptyName() {
        assertThat(policy.decideMcpTool("everything", "anything/with-slashes").allowed(), is(true));
        assertThat(policy.decideMcpTool("everything", "").allowed(), is(true));
    }

    @Test
    void anUnknownServerIsNotConfigured() {
        Decision d = policy.decideMcpTool("linear", "get_issue");
        assertThat(d.allowed(), is(false));
        assertThat(d.reason(), is(Reasons.NOT_CONFIGURED));
    }

    @Test
    void resourcesAndPromptsHaveTheirOwnLists() {
        assertThat(policy.decideMcpResource("github", "repo://public/readme").allowed(), is(true));
        assertThat(policy.decideMcpResource("github", "repo://private/x").allowed(), is(false));
        assertThat(policy.decideMcpPrompt("github", "summarize").allowed(), is(true));
        assertThat(policy.decideMcpResource("everything", "file:///etc/passwd").reason(),
                is(Reasons.EMPTY_ALLOW_LIST));
    }
}
