package kap.clix;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The {@code .env} format of the original: {@code KEY=VALUE}, comments and blank lines skipped, first {@code =}
 * splits, trimmed, no quoting; a missing or oversized file is empty.
 */
class EnvFileTest {

    @TempDir
    Path dir;

    record Case(String name, String text, Map<String, String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("a plain line", "GH_TOKEN=ghp_x\n", Map.of("GH_TOKEN", "ghp_x")),
                new Case("comments and blank lines", "# GH_TOKEN=$(gh auth token)\n\n  \nA=1\n", Map.of("A", "1")),
                new Case("the first = splits", "URL=http://h/?a=b\n", Map.of("URL", "http://h/?a=b")),
                new Case("trimmed around", "  KEY =  value  \r\n", Map.of("KEY", "value")),
                new Case("no quoting", "Q=\"quoted\"\n", Map.of("Q", "\"quoted\"")),
                new Case("an empty value", "EMPTY=\n", Map.of("EMPTY", "")),
                new Case("no = or no key", "JUSTWORDS\n=value\n", Map.of()),
                new Case("a later line wins", "A=1\nA=2\n", Map.of("A", "2")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void parses(Case c) {
        assertThat(EnvFile.parse(c.text()), is(c.expected()));
    }

    @Test
    void aMissingFileIsEmpty() {
        assertThat(EnvFile.read(dir.resolve("absent")), is(Map.of()));
    }

    @Test
    void anOversizedFileIsIgnored() throws Exception {
        Path big = dir.resolve("big.env");
        Files.writeString(big, "A=" + "x".repeat(EnvFile.MAX_FILE_BYTES) + "\n");
        assertThat(EnvFile.read(big), is(Map.of()));
    }
}
