package kap.cli;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The JSONC parser: comments and trailing commas are accepted outside strings and kept as text inside them.
 */
class JsoncTest {

    record Case(String name, String text, Object expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> documents() {
        return Stream.of(
                new Case("line comments", "// top\n{\"a\": 1 // after\n}", Map.of("a", "1")),
                new Case("block comments", "/* x */{/* y */\"a\"/* z */:/**/true/* w */}", Map.of("a", true)),
                new Case("trailing comma in an object", "{\"a\": \"x\",}", Map.of("a", "x")),
                new Case("trailing comma in an array", "{\"a\": [1, 2,],}", Map.of("a", List.of("1", "2"))),
                new Case("a string holding //", "{\"url\": \"https://example.com//x\"}",
                        Map.of("url", "https://example.com//x")),
                new Case("a string holding /* */", "{\"s\": \"/* not a comment */\"}",
                        Map.of("s", "/* not a comment */")),
                new Case("a string holding ,}", "{\"s\": \"a,}\", \"t\": \"b,]\",}", Map.of("s", "a,}", "t", "b,]")),
                new Case("escaped quotes and a comma after", "{\"s\": \"say \\\"hi\\\",\"}", Map.of("s", "say \"hi\",")),
                new Case("unicode escape", "{\"s\": \"\\u00e9\"}", Map.of("s", "é")),
                new Case("nested with comments everywhere", """
                        {
                          // settings
                          "remoteEnv": { /* env */ "PATH": "/x:${containerEnv:PATH}", },
                          "list": [ "a", // one
                                    "b", ],
                        }
                        """, Map.of("remoteEnv", Map.of("PATH", "/x:${containerEnv:PATH}"), "list", List.of("a", "b"))),
                new Case("null and false", "{\"a\": null, \"b\": false}", mapWithNull()));
    }

    private static Map<String, Object> mapWithNull() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("a", null);
        m.put("b", false);
        return m;
    }

    @ParameterizedTest
    @MethodSource("documents")
    void parsesJsonWithCommentsAndTrailingCommas(Case c) {
        assertThat(Jsonc.parse(c.text()).plain(), equalTo(c.expected()));
    }

    record Bad(String name, String text, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Bad> broken() {
        return Stream.of(
                new Bad("unterminated string", "{\"a\": \"x}", "1:10: unterminated string"),
                new Bad("unterminated block comment", "{\n/* never closed", "2:1: unterminated /* comment"),
                new Bad("single quotes", "{'a': 1}", "1:2: expected a quoted key or '}'"),
                new Bad("missing comma", "{\"a\": 1\n \"b\": 2}", "2:2: expected ',' or '}'"),
                new Bad("two commas", "{\"a\": 1,,}", "1:9: expected a quoted key or '}'"),
                new Bad("text after the document", "{} x", "1:4: unexpected text after the end of the document"),
                new Bad("bare word", "{\"a\": yes}", "1:7: unexpected character 'y'"),
                new Bad("misspelt literal", "{\"a\": tru}", "1:7: unexpected word"),
                new Bad("leading zero", "{\"a\": 01}", "bad number '01'"),
                new Bad("control character in a string", "{\"a\": \"x\ny\"}", "control character in a string"));
    }

    @ParameterizedTest
    @MethodSource("broken")
    void rejectsBrokenInputWithLineAndColumn(Bad b) {
        JsoncException e = assertThrows(JsoncException.class, () -> Jsonc.parse(b.text()));
        assertThat(e.getMessage(), containsString(b.message()));
    }

    @Test
    void refusesNestingDeeperThanTheLimit() {
        String deep = "[".repeat(Jsonc.MAX_DEPTH + 1) + "]".repeat(Jsonc.MAX_DEPTH + 1);
        assertThat(assertThrows(JsoncException.class, () -> Jsonc.parse(deep)).getMessage(),
                containsString("nested deeper than"));
    }

    @Test
    void refusesAFileLargerThanTheLimit() {
        String big = "{\"a\": \"" + "x".repeat(Jsonc.MAX_CHARS) + "\"}";
        assertThat(assertThrows(JsoncException.class, () -> Jsonc.parse(big)).getMessage(),
                startsWith("file is larger than"));
    }

    @Test
    void recordsTheSpanOfEveryValue() {
        String text = "{ \"a\" : [1, 2] , \"b\": \"x\" }";
        Jsonc.Obj root = (Jsonc.Obj) Jsonc.parse(text);
        Jsonc.Value a = root.get("a").orElseThrow();
        assertThat(text.substring(a.start(), a.end()), equalTo("[1, 2]"));
        assertThat(text.charAt(root.member("a").orElseThrow().comma()), equalTo(','));
        assertThat(root.member("b").orElseThrow().comma(), equalTo(-1));
    }
}
