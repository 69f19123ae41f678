package kap.policy.internal;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The key locator is a small parser of its own, so it is tested like one: every TOML construct that can hold a key.
 */
class KeyLocatorTest {

    private static final String TOML = """
            # header comment
            top = 1
            "quoted key" = "x"  # trailing comment
            dotted.key = true

            [proxy]
            listen = "0.0.0.0:3128"
            text = '''
            [not.a.table]
            fake = 1
            '''
            after = "a \\" [tricky] # not comment"

            [proxy.network]
            allow = [
              "github.com",  # one
              # a comment line
              "*.github.com",
              [1, 2], { nested = "x" },
            ]

            [[cli.tools]]
            name = "gh"
            headers = { a = "1", "b.c" = "2" }

            [[cli.tools]]
            name = "aws"

            [[cli.tools.subs]]
            deep = 1

            [ spaced . table ]
            k = 2
            """;

    private final KeyLocator locator = KeyLocator.scan(TOML);

    @Test
    void findsTopLevelAndQuotedAndDottedKeys() {
        assertThat(locator.line("top"), is(2));
        assertThat(locator.line("quoted key"), is(3));
        assertThat(locator.line("dotted.key"), is(4));
    }

    @Test
    void findsTableHeadersAndTheirKeys() {
        assertThat(locator.line("proxy"), is(6));
        assertThat(locator.line("proxy.listen"), is(7));
    }

    @Test
    void skipsMultiLineStringsThatLookLikeTables() {
        assertThat(locator.line("proxy.after"), is(12));
        assertThat(locator.line("not.a.table"), is(0));
    }

    @Test
    void findsEachElementOfAMultiLineArray() {
        assertThat(locator.line("proxy.network.allow"), is(15));
        assertThat(locator.line("proxy.network.allow[0]"), is(16));
        assertThat(locator.line("proxy.network.allow[1]"), is(18));
        assertThat(locator.line("proxy.network.allow[2]"), is(19));
        assertThat(locator.line("proxy.network.allow[3].nested"), is(19));
    }

    @Test
    void countsArraysOfTables() {
        assertThat(locator.line("cli.tools[0]"), is(22));
        assertThat(locator.line("cli.tools[0].name"), is(23));
        assertThat(locator.line("cli.tools[0].headers.a"), is(24));
        assertThat(locator.line("cli.tools[0].headers.b.c"), is(24));
        assertThat(locator.line("cli.tools[1].name"), is(27));
        assertThat(locator.line("cli.tools[1].subs[0].deep"), is(30));
    }

    @Test
    void toleratesSpacesInsideHeaders() {
        assertThat(locator.line("spaced.table.k"), is(33));
    }

    @Test
    void fallsBackToTheNearestKnownAncestor() {
        assertThat(locator.line("cli.tools[1].unknown"), is(26));
        assertThat(locator.line("proxy.network.allow[9]"), is(15));
        assertThat(locator.line("nothing.here"), is(0));
    }

    @Test
    void neverThrowsOnTruncatedInput() {
        for (int cut = 0; cut < TOML.length(); cut += 7) {
            KeyLocator.scan(TOML.substring(0, cut)).line("proxy.listen");
        }
        assertThat(KeyLocator.scan("[[[[\"\"\"").line("x"), is(0));
    }
}
