package kap.clix;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Streaming redaction: whole secrets are replaced wherever the chunk boundaries fall, held-back bytes are only a
 * possible secret's beginning, and what is not a secret comes out unchanged.
 */
class RedactorTest {

    private static final List<Redactor.Secret> SECRETS = List.of(secret("TOKEN", "ghp_abcdef123456"),
            secret("SHORT", "abcdef12"), secret("OTHER", "zzzzzzzz"));

    record Case(String name, List<String> chunks, String expected, String firstEmit, long count) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("no secret passes at once", List.of("hello\n", "world\n"), "hello\nworld\n", "hello\n", 0),
                new Case("a whole secret in one chunk", List.of("t=ghp_abcdef123456\n"), "t=[REDACTED:TOKEN]\n",
                        "t=[REDACTED:TOKEN]\n", 1),
                new Case("a secret split across two chunks", List.of("t=ghp_abc", "def123456 end"),
                        "t=[REDACTED:TOKEN] end", "t=", 1),
                new Case("a secret split byte by byte", List.of("g", "h", "p", "_", "a", "b", "c", "d", "e", "f", "1",
                        "2", "3", "4", "5", "6"), "[REDACTED:TOKEN]", "", 1),
                new Case("the longest secret wins over one it contains", List.of("ghp_abcdef123456"),
                        "[REDACTED:TOKEN]", "[REDACTED:TOKEN]", 1),
                new Case("a shorter secret alone", List.of("xabcdef12y"), "x[REDACTED:SHORT]y", "x[REDACTED:SHORT]y",
                        1),
                new Case("a shorter secret at the very end of the stream", List.of("key abcdef12"),
                        "key [REDACTED:SHORT]", "key [REDACTED:SHORT]", 1),
                new Case("a prefix that never completes is released at the end", List.of("ghp_abc"), "ghp_abc", "",
                        0),
                new Case("a prefix that breaks off is released with the next chunk", List.of("ghp_ab", "X more"),
                        "ghp_abX more", "", 0),
                new Case("two secrets back to back", List.of("zzzzzzzzabcdef12"),
                        "[REDACTED:OTHER][REDACTED:SHORT]", "[REDACTED:OTHER][REDACTED:SHORT]", 2),
                new Case("overlapping candidates", List.of("zzzzzzzzz"), "[REDACTED:OTHER]z", "[REDACTED:OTHER]", 1),
                new Case("binary bytes around a secret", List.of("\u0000\u00ffabcdef12\u0001"),
                        "\u0000\u00ff[REDACTED:SHORT]\u0001", "\u0000\u00ff[REDACTED:SHORT]\u0001", 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void redacts(Case c) {
        Redactor r = new Redactor(SECRETS);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String first = null;
        for (String chunk : c.chunks()) {
            byte[] bytes = chunk.getBytes(StandardCharsets.ISO_8859_1);
            byte[] emitted = r.feed(bytes, 0, bytes.length);
            if (first == null) {
                first = new String(emitted, StandardCharsets.ISO_8859_1);
            }
            out.writeBytes(emitted);
        }
        out.writeBytes(r.finish());
        assertThat(out.toString(StandardCharsets.ISO_8859_1), is(c.expected()));
        assertThat("emitted after the first chunk", first, is(c.firstEmit()));
        assertThat(r.count(), is(c.count()));
    }

    private static Redactor.Secret secret(String name, String value) {
        return new Redactor.Secret(name, value.getBytes(StandardCharsets.ISO_8859_1));
    }
}
