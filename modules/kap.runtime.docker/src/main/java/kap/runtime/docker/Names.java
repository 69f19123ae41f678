package kap.runtime.docker;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * The names and labels of one capsule's Docker objects. The id is stable per project directory:
 * {@code kap-<name>-<8 hex of the path's SHA-256>}.
 *
 * @param id capsule id
 */
record Names(String id) {

    /** Every object kap creates carries this label, with the capsule id. */
    static final String CAPSULE = "dev.kap.capsule";
    /** {@code app}, {@code sidecar}, {@code network}, {@code volume} or {@code probe}. */
    static final String ROLE = "dev.kap.role";
    static final String PROJECT_DIR = "dev.kap.project_dir";
    static final String PROJECT = "dev.kap.project";
    static final String WORKSPACE = "dev.kap.workspace";
    static final String USER = "dev.kap.user";
    static final String EXEC_ENV = "dev.kap.exec_env";
    static final String AUDIT_LOG = "dev.kap.audit_log";
    static final String ADMIN_PORT = "dev.kap.admin_port";
    static final String SANDBOX_IP = "dev.kap.sandbox_ip";
    static final String EXTERNAL_IP = "dev.kap.external_ip";

    static Names of(Path projectDir, String projectName) {
        String slug = projectName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        if (slug.length() > 20) {
            slug = slug.substring(0, 20).replaceAll("-$", "");
        }
        return new Names("kap-" + (slug.isEmpty() ? "project" : slug) + "-" + hash(projectDir.toString()));
    }

    static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String app() {
        return id + "-app";
    }

    String sidecar() {
        return id + "-sidecar";
    }

    String sandbox() {
        return id + "-sandbox";
    }

    String external() {
        return id + "-external";
    }

    String shims() {
        return id + "-shims";
    }

    Map<String, String> labels(String role) {
        return Map.of(CAPSULE, id, ROLE, role);
    }
}
