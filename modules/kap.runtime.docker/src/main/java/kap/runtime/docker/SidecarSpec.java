package kap.runtime.docker;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import kap.policy.KapConfig;

/**
 * How the sidecar container runs, shared by {@code kap up} (docker-java) and the compose overlay, so both paths
 * build the same sidecar.
 *
 * @param image the image
 * @param pair the subnets
 * @param dirs the host directories
 * @param projectDir the project on the host
 * @param workspaceFolder the workspace as the app sees it
 * @param config kap.toml as loaded
 */
record SidecarSpec(String image, Subnets.Pair pair, HostDirs dirs, java.nio.file.Path projectDir,
                   String workspaceFolder, KapConfig config) {

    /** Health check interval: each check starts a small JVM (about 0.1 s of CPU), so 5 s costs about 2 % of a core. */
    static final int HEALTH_INTERVAL_SECONDS = 5;

    String sandboxIp() {
        return Subnets.Pair.host(pair.sandbox(), 3);
    }

    String appIp() {
        return Subnets.Pair.host(pair.sandbox(), 2);
    }

    String externalIp() {
        return Subnets.Pair.host(pair.external(), 3);
    }

    int adminPort() {
        return config.proxy().adminListen().port();
    }

    int egressPort() {
        return config.proxy().listen().port();
    }

    String adminListen() {
        return externalIp() + ":" + adminPort();
    }

    /** The sidecar's arguments after the image's entry point. */
    List<String> command() {
        return List.of("--config", "/etc/kap/project/kap.toml", "--listen-address", sandboxIp(), "--admin-listen",
                adminListen(), "--grants", "/var/lib/kap/state/grants.json", "--admin-token-file",
                "/var/lib/kap/state/admin-token");
    }

    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAP_CLIX_SHIM_DIR", "/var/lib/kap/shims");
        env.put("KAP_CLIX_WORKSPACE", "/workspace");
        env.put("KAP_CLIX_CAPSULE_WORKSPACE", workspaceFolder);
        env.put("KAP_CLIX_ENV_FILE", "/etc/kap/envs/.env");
        env.put("KAP_CLIX_SHIM_JAVA", "/opt/kap/runtime/bin/java");
        return env;
    }

    /** Bind mounts as {@code host:container[:ro]}, without the shim volume. */
    List<String> binds() {
        List<String> binds = new ArrayList<>();
        binds.add(projectDir.resolve(".devcontainer") + ":/etc/kap/project:ro");
        binds.add(projectDir + ":/workspace:ro");
        binds.add(dirs.log() + ":/var/log/kap");
        binds.add(dirs.state() + ":/var/lib/kap/state");
        binds.add(dirs.envs() + ":/etc/kap/envs:ro");
        binds.add(dirs.auth() + ":/etc/kap/auth");
        if (Files.exists(dirs.global())) {
            binds.add(dirs.global() + ":/etc/kap/global.toml:ro");
        }
        return binds;
    }

    /** The container health check: the admin {@code /health}, from inside the sidecar. */
    List<String> healthTest() {
        return List.of("CMD", SidecarImage.HOME + "/bin/java", "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xmx16m", "-m", "kap.sidecar/kap.sidecar.probe.HealthProbe",
                adminListen());
    }

    /** Namespaced sysctls: port 53 without privilege, and no IPv6 at all. */
    static Map<String, String> sysctls() {
        return Map.of("net.ipv4.ip_unprivileged_port_start", "0", "net.ipv6.conf.all.disable_ipv6", "1");
    }

    /** The audit log as the host sees it, when kap.toml keeps it in the mounted log directory. */
    java.util.Optional<java.nio.file.Path> hostAuditLog() {
        var log = config.proxy().observe().log();
        if (log.startsWith("/var/log/kap")) {
            return java.util.Optional.of(dirs.log().resolve(java.nio.file.Path.of("/var/log/kap").relativize(log)));
        }
        return java.util.Optional.empty();
    }
}
