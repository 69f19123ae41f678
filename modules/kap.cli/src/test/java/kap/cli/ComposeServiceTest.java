package kap.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Reading the devcontainer's compose service: what kap models itself, what it hands to the devcontainer CLI, and what
 * it refuses because it would open a way around the sidecar.
 */
class ComposeServiceTest {

    @TempDir
    Path dir;

    private ComposeService read(String yaml, String... more) throws Exception {
        Files.writeString(dir.resolve("docker-compose.yml"), yaml);
        List<String> files = new java.util.ArrayList<>(List.of("docker-compose.yml"));
        for (int i = 0; i < more.length; i++) {
            Files.writeString(dir.resolve("extra" + i + ".yml"), more[i]);
            files.add("extra" + i + ".yml");
        }
        files.add(Devcontainer.OVERLAY);
        return ComposeService.read(dir, files, "app");
    }

    record Case(String name, String yaml, Optional<String> reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> setups() {
        return Stream.of(
                new Case("an image and a workspace volume", "services:\n  app:\n    image: x\n    volumes: [\"..:/w\"]\n",
                        Optional.empty()),
                new Case("a build", "services:\n  app:\n    build: {context: ., dockerfile: Dockerfile}\n",
                        Optional.empty()),
                new Case("another service", "services:\n  app:\n    image: x\n  db:\n    image: postgres\n",
                        Optional.of("the compose files define other services too: db")),
                new Case("keys kap does not model", "services:\n  app:\n    image: x\n    healthcheck: {}\n"
                        + "    shm_size: 1g\n", Optional.of("the service uses healthcheck, shm_size")),
                new Case("neither image nor build", "services:\n  app:\n    command: sleep 1\n",
                        Optional.of("the service has neither image nor build")));
    }

    @ParameterizedTest
    @MethodSource("setups")
    void saysWhetherKapCanModelTheSetUp(Case c) throws Exception {
        assertThat(read(c.yaml()).unmodelled(), equalTo(c.reason()));
    }

    @Test
    void findsKeysThatWouldOpenAWayAroundTheSidecar() throws Exception {
        ComposeService s = read("services:\n  app:\n    image: x\n    network_mode: host\n    ports: [\"80:80\"]\n"
                + "    privileged: true\n");
        assertThat(s.isolationBreakers(), equalTo(List.of("network_mode", "ports", "privileged")));
    }

    @Test
    void laterFilesWinKeyByKeyAndTheKapOverlayIsIgnored() throws Exception {
        Files.writeString(dir.resolve(Devcontainer.OVERLAY), "services:\n  app:\n    image: from-overlay\n");
        ComposeService s = read("services:\n  app:\n    image: a\n    command: sleep infinity\n",
                "services:\n  app:\n    image: b\n");
        assertThat(s.string("image").orElseThrow(), equalTo("b"));
        assertThat(s.command().orElseThrow(), equalTo(List.of("sleep", "infinity")));
    }

    @Test
    void readsEnvironmentAsAMapOrAListAndVolumesInBothSyntaxes() throws Exception {
        ComposeService list = read("services:\n  app:\n    image: x\n    environment: [\"A=1\", \"B=two=2\"]\n"
                + "    volumes:\n      - ./data:/data:ro\n      - type: volume\n        source: cache\n"
                + "        target: /cache\n");
        assertThat(list.environment(), equalTo(Map.of("A", "1", "B", "two=2")));
        assertThat(list.volumes().get(0), equalTo(new String[] {"./data", "/data", "ro"}));
        assertThat(list.volumes().get(1), equalTo(new String[] {"cache", "/cache", "rw"}));
        ComposeService map = read("services:\n  app:\n    image: x\n    environment: {A: 1}\n");
        assertThat(map.environment(), equalTo(Map.of("A", "1")));
    }

    @Test
    void badYamlAndAMissingServiceAreClearErrors() throws Exception {
        Files.writeString(dir.resolve("docker-compose.yml"), "services:\n  app: [unclosed\n");
        var e = assertThrows(IllegalArgumentException.class,
                () -> ComposeService.read(dir, List.of("docker-compose.yml"), "app"));
        assertThat(e.getMessage(), containsString("not valid YAML"));
        Files.writeString(dir.resolve("docker-compose.yml"), "services:\n  web:\n    image: x\n");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> ComposeService.read(dir, List.of("docker-compose.yml"), "app")).getMessage(),
                containsString("no service 'app'"));
    }

    @Test
    void splitsCommandStringsLikeAShellWithoutExpanding() {
        assertThat(Words.split("sh -c 'echo $HOME; ls' \"a b\" c\\ d"),
                equalTo(List.of("sh", "-c", "echo $HOME; ls", "a b", "c d")));
        assertThat(assertThrows(IllegalArgumentException.class, () -> Words.split("echo 'open")).getMessage(),
                containsString("unterminated quote"));
    }

    @Test
    void expandsLocalEnvironmentReferences() {
        ProjectReader r = new ProjectReader(Map.of("USER", "ann"));
        assertThat(r.expand("${localEnv:USER}-${localEnv:NOPE:fallback}-${localEnv:NOPE}"), equalTo("ann-fallback-"));
        assertThat(r.expand("no refs"), is("no refs"));
    }
}
