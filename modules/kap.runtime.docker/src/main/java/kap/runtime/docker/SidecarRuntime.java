package kap.runtime.docker;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the linked sidecar runtime the sidecar image is built from: {@code KAP_SIDECAR_RUNTIME}; else a
 * {@code sidecar/} directory beside the CLI's runtime image (a distribution is {@code <dist>/cli} and
 * {@code <dist>/sidecar}); else {@code jlink/target/images/sidecar} in the source checkout kap runs from.
 */
final class SidecarRuntime {

    static final String ENV = "KAP_SIDECAR_RUNTIME";

    private SidecarRuntime() {
    }

    static Path locate(Map<String, String> env) {
        List<Path> tried = new ArrayList<>();
        Optional<Path> found = Optional.ofNullable(env.get(ENV)).filter(s -> !s.isBlank()).map(Path::of)
                .or(() -> candidate(Path.of(System.getProperty("java.home")).resolveSibling("sidecar"), tried))
                .or(() -> checkout().flatMap(c -> candidate(c.resolve("jlink/target/images/sidecar"), tried)));
        Path dir = found.orElseThrow(() -> new IllegalStateException("no sidecar runtime found (tried "
                + tried + "); set " + ENV + " to the linked sidecar image, or build it with `mvn package`"));
        if (!Files.isExecutable(dir.resolve("bin/java"))) {
            throw new IllegalStateException(dir + " is not a linked sidecar runtime (no bin/java)");
        }
        return dir.toAbsolutePath().normalize();
    }

    private static Optional<Path> candidate(Path dir, List<Path> tried) {
        tried.add(dir);
        return Files.isExecutable(dir.resolve("bin/java")) ? Optional.of(dir) : Optional.empty();
    }

    /** The source checkout this code runs from, found from the location of its jar or classes. */
    private static Optional<Path> checkout() {
        try {
            var source = SidecarRuntime.class.getProtectionDomain().getCodeSource();
            if (source == null || !"file".equals(source.getLocation().getProtocol())) {
                return Optional.empty();
            }
            for (Path p = Path.of(source.getLocation().toURI()); p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve("jlink")) && Files.exists(p.resolve("pom.xml"))) {
                    return Optional.of(p);
                }
            }
        } catch (URISyntaxException | SecurityException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * The JVM options the runtime's own launcher ({@code bin/kap-sidecar}) passes, so the container starts the JVM
     * exactly as the image build trained its AOT cache (a cache the flags cannot load stops the JVM).
     *
     * @param runtime the runtime directory
     * @return options, such as {@code -XX:+UseSerialGC}; just that when the launcher cannot be read
     */
    static List<String> jvmOptions(Path runtime) {
        try {
            for (String line : Files.readAllLines(runtime.resolve("bin/kap-sidecar"))) {
                String l = line.strip();
                if (l.startsWith("exec ") && l.contains("/bin/java\"")) {
                    return java.util.Arrays.stream(l.split("\\s+"))
                            .filter(t -> t.startsWith("-") && !t.contains("$") && !t.equals("-m")).toList();
                }
            }
        } catch (IOException e) {
            // fall through to the default
        }
        return List.of("-XX:+UseSerialGC");
    }

    /**
     * Every shared library the runtime's native code needs, from {@code ldd} on {@code bin/java} and every
     * {@code .so} in the runtime, as absolute paths on the host (the image keeps them at the same paths).
     *
     * @param runtime the runtime directory
     * @return libraries, without duplicates
     * @throws IOException if ldd cannot be run
     */
    static List<String> hostLibraries(Path runtime) throws IOException {
        List<String> binaries = new ArrayList<>();
        binaries.add(runtime.resolve("bin/java").toString());
        try (var files = Files.walk(runtime.resolve("lib"))) {
            files.filter(f -> f.getFileName().toString().endsWith(".so")).forEach(f -> binaries.add(f.toString()));
        }
        List<String> libs = new ArrayList<>();
        for (String binary : binaries) {
            for (String line : run(List.of("ldd", binary))) {
                String path = libraryPath(line.strip());
                if (path != null && !path.startsWith(runtime.toString()) && !libs.contains(path)) {
                    libs.add(path);
                }
            }
        }
        return libs;
    }

    /** The library path in one line of ldd output, or null ({@code libc.so.6 => /lib/x86_64/libc.so.6 (0x..)}). */
    static String libraryPath(String line) {
        int arrow = line.indexOf("=> ");
        String rest = arrow >= 0 ? line.substring(arrow + 3) : line;
        int paren = rest.indexOf(" (");
        String path = (paren >= 0 ? rest.substring(0, paren) : rest).strip();
        return path.startsWith("/") ? path : null;
    }

    private static List<String> run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
            // ldd exits non-zero for a static library; its output then names no library, which is what we want
            p.waitFor();
            return lines;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
