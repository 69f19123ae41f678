package kap.runtime.docker;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.github.dockerjava.api.DockerClient;

import kap.policy.ComposeConfig;

/**
 * The sidecar image, built locally with no registry: {@code FROM scratch}, the linked sidecar runtime under
 * {@code /opt/kap}, the host's shared libraries that the JVM's native code needs (found with {@code ldd}), and a
 * minimal {@code /etc/passwd} with the non-root user {@code kap} (uid 10001). The tag carries a fingerprint of all of
 * it, so a changed runtime gives a new image and an unchanged one is reused. {@code [compose] image} or {@code build}
 * in kap.toml replaces it, as in the original.
 */
final class SidecarImage {

    /** The sidecar's user and group. */
    static final int UID = 10001;
    static final String REPOSITORY = "kap-sidecar";
    /** Where the runtime lives in the image. */
    static final String HOME = "/opt/kap";

    private final DockerClient docker;
    private final PrintStream progress;
    private final Map<String, String> env;

    SidecarImage(DockerClient docker, PrintStream progress, Map<String, String> env) {
        this.docker = docker;
        this.progress = progress;
        this.env = env;
    }

    /**
     * The image reference to run, building or pulling it if it is missing.
     *
     * @param compose {@code [compose]} from kap.toml, if present
     * @param devcontainerDir {@code .devcontainer/}, which a {@code [compose] build} context is relative to
     * @return image reference
     * @throws IOException if it cannot be built
     */
    String ensure(Optional<ComposeConfig> compose, Path devcontainerDir) throws IOException {
        ImageBuilder builder = new ImageBuilder(docker, progress);
        if (compose.isPresent() && compose.get().build().isPresent()) {
            ComposeConfig.Build b = compose.get().build().get();
            Path context = devcontainerDir.resolve(b.context()).normalize();
            String tag = REPOSITORY + "-custom:" + Names.hash(context.toString());
            Path tar = Files.createTempFile("kap-sidecar-context", ".tar");
            try (TarContext t = new TarContext(tar)) {
                t.tree(".", context);
            }
            try {
                progress.println("[image] building the sidecar from " + context);
                builder.build(tar, tag, b.dockerfile(), b.target(), Map.of());
            } finally {
                Files.deleteIfExists(tar);
            }
            return tag;
        }
        if (compose.isPresent() && compose.get().image().isPresent()) {
            String image = compose.get().image().get();
            if (!builder.exists(image)) {
                builder.pull(image);
            }
            return image;
        }
        return ensureLocal(builder);
    }

    private String ensureLocal(ImageBuilder builder) throws IOException {
        Path runtime = SidecarRuntime.locate(env);
        List<String> libs = SidecarRuntime.hostLibraries(runtime);
        String dockerfile = dockerfile(SidecarRuntime.jvmOptions(runtime));
        String tag = REPOSITORY + ":" + fingerprint(runtime, libs, dockerfile);
        if (builder.exists(tag)) {
            return tag;
        }
        progress.println("[image] building " + tag + " from " + runtime);
        Path tar = Files.createTempFile("kap-sidecar", ".tar");
        try {
            try (TarContext t = new TarContext(tar)) {
                t.text("Dockerfile", dockerfile, 0644);
                t.tree("rootfs" + HOME, runtime);
                for (String lib : libs) {
                    t.file("rootfs" + lib, Path.of(lib));
                }
                t.text("rootfs/etc/passwd", "root:x:0:0:root:/root:/sbin/nologin\nkap:x:" + UID + ":" + UID
                        + ":kap:/home/kap:/sbin/nologin\n", 0644);
                t.text("rootfs/etc/group", "root:x:0:\nkap:x:" + UID + ":\n", 0644);
                t.text("rootfs/etc/nsswitch.conf", "hosts: files dns\n", 0644);
                t.directory("rootfs/tmp", 01777);
                for (String dir : List.of("home/kap", "var/log/kap", "var/lib/kap/state", "var/lib/kap/shims")) {
                    t.directory("owned/" + dir, 0755);
                }
            }
            builder.build(tar, tag, Optional.empty(), Optional.empty(), Map.of());
        } finally {
            Files.deleteIfExists(tar);
        }
        return tag;
    }

    /**
     * The Dockerfile.
     *
     * @param jvmOptions the options of the runtime's own launcher
     * @return text
     */
    static String dockerfile(List<String> jvmOptions) {
        StringBuilder entrypoint = new StringBuilder("[\"" + HOME + "/bin/java\"");
        for (String option : jvmOptions) {
            entrypoint.append(", \"").append(option).append('"');
        }
        entrypoint.append(", \"-XX:AOTCache=" + HOME + "/lib/kap.aot\", \"-m\", \"kap.sidecar/kap.sidecar.Main\", ")
                .append("\"--profile\", \"container\"]");
        return """
                # kap sidecar: the linked runtime and the libraries its native code needs; no shell, no package manager
                FROM scratch
                COPY rootfs/ /
                COPY --chown=%1$d:%1$d owned/ /
                USER %1$d:%1$d
                ENV KAP_LOG_LEVEL=INFO
                ENTRYPOINT %2$s
                CMD ["--config", "/etc/kap/project/kap.toml"]
                """.formatted(UID, entrypoint);
    }

    private static String fingerprint(Path runtime, List<String> libs, String dockerfile) throws IOException {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(dockerfile.getBytes(StandardCharsets.UTF_8));
            try (var files = Files.walk(runtime)) {
                for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                    d.update((runtime.relativize(p) + ":" + Files.size(p) + ":"
                            + Files.getLastModifiedTime(p).toMillis() + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            for (String lib : libs) {
                Path p = Path.of(lib);
                d.update((lib + ":" + Files.size(p) + ":" + Files.getLastModifiedTime(p).toMillis() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(d.digest(), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
