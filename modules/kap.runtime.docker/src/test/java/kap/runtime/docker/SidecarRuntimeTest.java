package kap.runtime.docker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Finding the sidecar runtime and the host libraries its image needs.
 */
class SidecarRuntimeTest {

    record Line(String text, String path) {
    }

    static Stream<Line> lddLines() {
        return Stream.of(
                new Line("libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0000000000)",
                        "/lib/x86_64-linux-gnu/libc.so.6"),
                new Line("/lib64/ld-linux-x86-64.so.2 (0x00007f0000000000)", "/lib64/ld-linux-x86-64.so.2"),
                new Line("linux-vdso.so.1 (0x00007ffd00000000)", null),
                new Line("libjli.so => not found", null),
                new Line("statically linked", null));
    }

    @ParameterizedTest
    @MethodSource("lddLines")
    void readsTheLibraryPathFromLddOutput(Line l) {
        String path = SidecarRuntime.libraryPath(l.text());
        if (l.path() == null) {
            assertThat(path, nullValue());
        } else {
            assertThat(path, equalTo(l.path()));
        }
    }

    @Test
    void findsTheCLibraryAndTheLoaderForThisJdk() throws Exception {
        Path jdk = Path.of(System.getProperty("java.home"));
        List<String> libs = SidecarRuntime.hostLibraries(jdk);
        assertThat(libs.stream().anyMatch(l -> l.endsWith("/libc.so.6")), equalTo(true));
        assertThat(libs.stream().anyMatch(l -> l.contains("ld-linux")), equalTo(true));
        assertThat("nothing from inside the runtime itself", libs.stream().noneMatch(l -> l.startsWith(jdk.toString())),
                equalTo(true));
    }

    @Test
    void theEnvironmentVariableWins(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("bin"));
        Path java = Files.createFile(dir.resolve("bin/java"));
        java.toFile().setExecutable(true);
        assertThat(SidecarRuntime.locate(Map.of(SidecarRuntime.ENV, dir.toString())), equalTo(dir));
    }

    @Test
    void aDirectoryWithoutJavaIsAClearError(@TempDir Path dir) {
        var e = assertThrows(IllegalStateException.class,
                () -> SidecarRuntime.locate(Map.of(SidecarRuntime.ENV, dir.toString())));
        assertThat(e.getMessage(), containsString("is not a linked sidecar runtime"));
    }

    @Test
    void theImageRunsTheSidecarAsItsOwnUserWithoutAShellAndTheLaunchersFlags() {
        String dockerfile = SidecarImage.dockerfile(List.of("-XX:+UseSerialGC", "-Xms32m"));
        assertThat(dockerfile, containsString("FROM scratch"));
        assertThat(dockerfile, containsString("USER 10001:10001"));
        assertThat(List.of(dockerfile.split("\n")), hasItem(
                "ENTRYPOINT [\"/opt/kap/bin/java\", \"-XX:+UseSerialGC\", \"-Xms32m\","
                        + " \"-XX:AOTCache=/opt/kap/lib/kap.aot\", \"-m\", \"kap.sidecar/kap.sidecar.Main\","
                        + " \"--profile\", \"container\"]"));
    }

    @Test
    void readsTheJvmOptionsFromTheRuntimesLauncher(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("bin"));
        Files.writeString(dir.resolve("bin/kap-sidecar"), "#!/bin/sh\ndir=x\n"
                + "exec \"$dir/bin/java\" -XX:+UseSerialGC -Xms32m -Xmn16m $tier $aot ${KAP_JAVA_OPTS:-} -m"
                + " kap.sidecar/kap.sidecar.Main \"$@\"\n");
        assertThat(SidecarRuntime.jvmOptions(dir), equalTo(List.of("-XX:+UseSerialGC", "-Xms32m", "-Xmn16m")));
        assertThat(SidecarRuntime.jvmOptions(dir.resolve("nowhere")), equalTo(List.of("-XX:+UseSerialGC")));
    }
}
