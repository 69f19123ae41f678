package kap.cli;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Editing devcontainer.json in place: the edited member changes, and every other byte (keys, order, comments,
 * trailing commas, strings with {@code //} and {@code ,}}) stays.
 */
class JsoncEditorTest {

    record Case(String name, String before, Consumer<JsoncEditor> edit, String after) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> edits() {
        return Stream.of(
                new Case("removes a middle member with its comment", """
                        {
                          "name": "x",
                          "image": "ubuntu", // the image
                          "url": "http://a//b,}"
                        }
                        """, e -> e.remove(List.of(), "image"), """
                        {
                          "name": "x",
                          "url": "http://a//b,}"
                        }
                        """),
                new Case("removes the last member and the comma before it", """
                        {
                          "name": "x", // keep me
                          "image": "ubuntu"
                        }
                        """, e -> e.remove(List.of(), "image"), """
                        {
                          "name": "x" // keep me
                        }
                        """),
                new Case("adds after a trailing comma, keeping that style", """
                        {
                          /* block */ "name": "a,}",
                        }
                        """, e -> e.set(List.of(), "service", "app"), """
                        {
                          /* block */ "name": "a,}",
                          "service": "app",
                        }
                        """),
                new Case("adds after a last member with a line comment", """
                        {
                          "name": "x" // c
                        }
                        """, e -> e.set(List.of(), "service", "app"), """
                        {
                          "name": "x", // c
                          "service": "app"
                        }
                        """),
                new Case("adds a list to an object on one line", "{\"name\": \"x\"}",
                        e -> e.set(List.of(), "dockerComposeFile", List.of("a.yml", "b.yml")),
                        "{\"name\": \"x\",\n\"dockerComposeFile\": [\"a.yml\", \"b.yml\"]}"),
                new Case("adds to an empty object", "{}", e -> e.set(List.of(), "a", true), "{\n  \"a\": true\n}"),
                new Case("replaces a value in place", """
                        {
                          "dockerComposeFile": "docker-compose.yml", // ours
                          "x": 1
                        }
                        """, e -> e.set(List.of(), "dockerComposeFile", List.of("docker-compose.yml", "k.yml")), """
                        {
                          "dockerComposeFile": ["docker-compose.yml", "k.yml"], // ours
                          "x": 1
                        }
                        """),
                new Case("creates a nested object", """
                        {
                          "name": "x"
                        }
                        """, e -> e.set(List.of("remoteEnv"), "PATH", "/opt/kap/bin:${containerEnv:PATH}"), """
                        {
                          "name": "x",
                          "remoteEnv": {
                            "PATH": "/opt/kap/bin:${containerEnv:PATH}"
                          }
                        }
                        """),
                new Case("adds to an existing nested object", """
                        {
                          "remoteEnv": {
                            "A": "1", // a
                          },
                        }
                        """, e -> e.set(List.of("remoteEnv"), "PATH", "/p"), """
                        {
                          "remoteEnv": {
                            "A": "1", // a
                            "PATH": "/p",
                          },
                        }
                        """),
                new Case("quotes what it writes", "{}", e -> e.set(List.of(), "s", "a\"b\\c"),
                        "{\n  \"s\": \"a\\\"b\\\\c\"\n}"),
                new Case("removing an absent member changes nothing", "{\"a\": 1} // end",
                        e -> e.remove(List.of(), "image"), "{\"a\": 1} // end"));
    }

    @ParameterizedTest
    @MethodSource("edits")
    void editsOnlyTheMemberItChanges(Case c) {
        JsoncEditor editor = new JsoncEditor(c.before());
        c.edit().accept(editor);
        assertThat(editor.text(), equalTo(c.after()));
        // and the result is still a valid document
        Jsonc.parse(editor.text());
    }

    @ParameterizedTest
    @MethodSource("edits")
    void keepsEveryOtherKeyAndItsOrder(Case c) {
        JsoncEditor editor = new JsoncEditor(c.before());
        @SuppressWarnings("unchecked")
        Map<String, Object> before = (Map<String, Object>) editor.root().plain();
        c.edit().accept(editor);
        @SuppressWarnings("unchecked")
        Map<String, Object> after = (Map<String, Object>) editor.root().plain();
        List<String> kept = after.keySet().stream().filter(before::containsKey).toList();
        List<String> expectedOrder = before.keySet().stream().filter(after::containsKey).toList();
        assertThat(kept, equalTo(expectedOrder));
    }
}
