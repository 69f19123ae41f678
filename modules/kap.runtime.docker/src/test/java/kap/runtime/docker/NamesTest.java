package kap.runtime.docker;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

/**
 * Capsule ids: stable per directory, distinct across directories, safe as Docker names and registry file names.
 */
class NamesTest {

    @Test
    void theIdIsStablePerDirectoryAndSafe() {
        Names a = Names.of(Path.of("/work/My Project!"), "My Project!");
        assertThat(a, equalTo(Names.of(Path.of("/work/My Project!"), "My Project!")));
        assertThat(a.id(), matchesPattern("kap-my-project-[0-9a-f]{8}"));
        assertThat(a.id(), not(equalTo(Names.of(Path.of("/other/My Project!"), "My Project!").id())));
    }

    @Test
    void longOrEmptyNamesStillGiveAUsableId() {
        assertThat(Names.of(Path.of("/x"), "a".repeat(80)).id(), matchesPattern("kap-a{20}-[0-9a-f]{8}"));
        assertThat(Names.of(Path.of("/x"), "!!!").id(), matchesPattern("kap-project-[0-9a-f]{8}"));
    }

    @Test
    void everyObjectIsNamedAfterTheCapsuleAndLabelled() {
        Names n = new Names("kap-x-12345678");
        assertThat(n.sandbox(), equalTo("kap-x-12345678-sandbox"));
        assertThat(n.sidecar(), equalTo("kap-x-12345678-sidecar"));
        assertThat(n.labels("app"), equalTo(Map.of(Names.CAPSULE, "kap-x-12345678", Names.ROLE, "app")));
    }
}
