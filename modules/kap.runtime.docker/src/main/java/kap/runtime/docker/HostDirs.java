package kap.runtime.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The capsule's persistent data on the host, which {@code kap down} never removes: the audit log and the sidecar's
 * state (grants, pins) under {@code ~/.kap/projects/<id>/}, the sidecar's {@code .env} under
 * {@code ~/.kap/envs/<project>/}, MCP auth under {@code ~/.kap/auth/}.
 *
 * @param home kap's state directory ({@code ~/.kap})
 * @param names the capsule's names
 * @param project the project's name
 */
record HostDirs(Path home, Names names, String project) {

    Path log() {
        return home.resolve("projects").resolve(names.id()).resolve("log");
    }

    Path state() {
        return home.resolve("projects").resolve(names.id()).resolve("state");
    }

    Path envs() {
        return home.resolve("envs").resolve(project);
    }

    Path auth() {
        return home.resolve("auth");
    }

    /** The admin token file, shared by the sidecar ({@code --admin-token-file}) and the host's remote daemon. */
    Path adminTokenFile() {
        return state().resolve("admin-token");
    }

    /**
     * The admin token, created on first use. The sidecar (uid 10001) must read it and the capsule must not: as root
     * kap hands it to 10001 with mode 0600; otherwise it stays the user's, readable inside the 0700 {@code ~/.kap}.
     *
     * @return the token
     * @throws IOException if it cannot be read or written
     */
    String adminToken() throws IOException {
        Path file = adminTokenFile();
        String token = kap.sidecar.AdminToken.readOrCreate(file);
        if (isRoot()) {
            Files.setAttribute(file, "unix:uid", SidecarImage.UID);
            Files.setAttribute(file, "unix:gid", SidecarImage.UID);
        } else {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
        return token;
    }

    Path global() {
        return home.resolve("kap.toml");
    }

    /**
     * Creates the directories the sidecar writes, owned by its user. As root kap hands them to uid 10001; otherwise
     * it cannot, and opens them to all (they sit inside {@code ~/.kap}, which is 0700, so no other host user gets
     * in).
     *
     * @throws IOException if they cannot be created
     */
    void create() throws IOException {
        for (Path dir : new Path[] {log(), state()}) {
            Files.createDirectories(dir);
            if (isRoot()) {
                Files.setAttribute(dir, "unix:uid", SidecarImage.UID);
                Files.setAttribute(dir, "unix:gid", SidecarImage.UID);
            } else {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            }
        }
        Files.createDirectories(envs());
        Files.createDirectories(auth());
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
    }

    static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
