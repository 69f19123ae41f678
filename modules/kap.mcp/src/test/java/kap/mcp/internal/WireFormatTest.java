package kap.mcp.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import kap.mcp.AuthRecord;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The parsers and formats the proxy trusts: SSE framing, JSON-RPC validation, safe names, tool hashes, auth files,
 * {@code ${VAR}} expansion, {@code WWW-Authenticate} parameters and PKCE.
 */
class WireFormatTest {

    @ParameterizedTest
    @ValueSource(strings = {"get_issue", "search-repos", "ns.tool", "a/b:c", "X9"})
    void acceptsPlainToolNames(String name) {
        assertThat(Names.safeName(name), is(true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "d\u0435lete", "echo\u200b", "tab\there", "sp ace", "rtl\u202e", "caf\u00e9",
        "nul\u0000"})
    void refusesControlInvisibleAndConfusableToolNames(String name) {
        assertThat(Names.safeName(name), is(false));
    }

    @Test
    void toolHashIgnoresKeyOrderButNotText() throws IOException {
        var a = Json.MAPPER.readTree("{\"name\":\"t\",\"description\":\"d\",\"inputSchema\":{\"type\":\"object\","
                + "\"properties\":{\"q\":{\"type\":\"string\"}}}}");
        var b = Json.MAPPER.readTree("{\"inputSchema\":{\"properties\":{\"q\":{\"type\":\"string\"}},\"type\":"
                + "\"object\"},\"description\":\"d\",\"name\":\"t\",\"title\":\"ignored\"}");
        var c = Json.MAPPER.readTree("{\"name\":\"t\",\"description\":\"d \",\"inputSchema\":{\"type\":\"object\","
                + "\"properties\":{\"q\":{\"type\":\"string\"}}}}");
        assertThat(ToolHash.of(a), is(ToolHash.of(b)));
        assertThat(ToolHash.of(a), not(is(ToolHash.of(c))));
    }

    @Test
    void readsTheOriginalAuthFileFormat() {
        AuthRecord a = AuthRecord.parse(("{ \"upstream\": \"https://mcp.example.com/mcp\", \"client_id\": \"c\","
                + " \"client_secret\": null, \"access_token\": \"at\", \"refresh_token\": \"rt\", \"token_endpoint\":"
                + " \"https://auth.example.com/token\", \"expires_at\": \"2026-03-07T11:00:00.123+00:00\","
                + " \"headers\": { \"K\": \"V\" } }").getBytes(StandardCharsets.UTF_8));
        assertThat(a.kind(), is("oauth"));
        assertThat(a.expiresAt().orElseThrow().toString(), is("2026-03-07T11:00:00.123Z"));
        String written = new String(a.toJson(), StandardCharsets.UTF_8);
        assertThat(written, containsString("\"expires_at\" : \"2026-03-07T11:00:00.123+00:00\""));
        assertThat(AuthRecord.parse(a.toJson()), is(a));
        assertThat(AuthRecord.withHeaders(java.net.URI.create("http://x/mcp"), Map.of("A", "b")).kind(), is("headers"));
        assertThrows(IllegalArgumentException.class, () -> AuthRecord.parse("{\"upstream\":\"file:///etc/passwd\"}"
                .getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void expandsVariablesLikeTheOriginal() {
        Map<String, String> env = Map.of("A", "1", "B", "two");
        assertThat(EnvLookup.expand("x${A}y${B}z${MISSING}", n -> Optional.ofNullable(env.get(n))), is("x1ytwoz"));
        assertThat(EnvLookup.expand("open ${A", n -> Optional.ofNullable(env.get(n))), is("open ${A"));
        assertThat(EnvLookup.parse("# c\nexport A=\"q\"\nB='s p'\nbad line\nC = plain\n"),
                is(Map.of("A", "q", "B", "s p", "C", "plain")));
    }

    @Test
    void readsWwwAuthenticateParameters() {
        String h = "Bearer error=\"invalid_token\", error_description=\"Missing, header\", "
                + "resource_metadata=\"http://127.0.0.1:1/.well-known/oauth-protected-resource/mcp\", scope=\"a b\"";
        assertThat(OAuthDiscovery.param(h, "resource_metadata").orElseThrow(),
                is("http://127.0.0.1:1/.well-known/oauth-protected-resource/mcp"));
        assertThat(OAuthDiscovery.param(h, "scope").orElseThrow(), is("a b"));
        assertThat(OAuthDiscovery.param("Bearer realm=x", "resource_metadata").isPresent(), is(false));
    }

    @Test
    void pkceChallengeMatchesRfc7636AppendixB() {
        assertThat(OAuthFlow.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
                is("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
        assertThat(OAuthFlow.random().length(), is(43));
    }
}
