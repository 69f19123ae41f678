package kap.runtime.namespace;

import java.nio.file.Path;
import java.util.Map;

/**
 * Tells the CLI proxy (module {@code kap.clix}, which reads deployment settings from {@code kap.clix.*} system
 * properties or {@code KAP_CLIX_*} variables) about this capsule: it writes its shims into the runtime directory,
 * which is first on the command's {@code PATH}, and the workspace is the same path on both sides, because the capsule
 * shares the host's file system. A setting the user made already is left alone; without the CLI proxy these
 * properties are read by nobody.
 */
final class ClixHook {

    private ClixHook() {
    }

    /**
     * Sets the properties the CLI proxy reads when it starts.
     *
     * @param environment the user's environment
     * @param shims the shims' directory
     * @param workdir the command's working directory
     */
    static void prepare(Map<String, String> environment, Path shims, Path workdir) {
        set(environment, "shim-dir", shims.toString());
        set(environment, "workspace", workdir.toString());
        set(environment, "capsule-workspace", workdir.toString());
        ProcessHandle.current().info().command().ifPresent(java -> set(environment, "shim-java", java));
        String modulePath = System.getProperty("jdk.module.path", "");
        if (!modulePath.isEmpty()) {
            set(environment, "shim-module-path", modulePath);
        }
    }

    private static void set(Map<String, String> environment, String name, String value) {
        String property = "kap.clix." + name;
        String variable = "KAP_CLIX_" + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        if (System.getProperty(property) == null && environment.get(variable) == null) {
            System.setProperty(property, value);
        }
    }
}
