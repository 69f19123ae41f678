package kap.runtime.namespace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import kap.policy.KapConfig;
import kap.policy.McpConfig;

/**
 * Decides what the capsule sees of the host's files and what its environment is.
 *
 * <p>The command runs as the user, on the user's own file system, so it could read or write anything the user can.
 * kap keeps its own files out of reach: its home ({@code ~/.kap}: audit log, grants, the capsule registry, run state)
 * and the session's {@code $XDG_RUNTIME_DIR} are hidden behind empty private directories, as are the MCP proxy's
 * token directory and the CLI proxy's secrets file; the configuration the sidecar watches is read-only, so the command
 * cannot rewrite its own policy. A directory that holds the working directory is never hidden.
 */
final class Planner {

    /** The proxy address inside the capsule. */
    static final String PROXY = "http://127.0.0.1:" + Service.EGRESS.port();
    /** What goes around the proxy: the capsule's own loopback, where the MCP and CLI proxies are. */
    static final String NO_PROXY = "localhost,127.0.0.1,::1";
    private static final String CLIX_ENV_FILE = "/etc/kap/envs/.env";

    private Planner() {
    }

    /**
     * The mounts.
     *
     * @param config the configuration the sidecar started with
     * @param workdir the command's working directory
     * @param environment the user's environment
     * @param hides directories to hide besides those the configuration names (kap's home)
     * @param runtimeDir the capsule's runtime directory
     * @return the plan
     */
    static MountPlan mounts(KapConfig config, Path workdir, Map<String, String> environment, List<Path> hides,
                            Path runtimeDir) {
        Set<Path> masks = new LinkedHashSet<>(hides);
        Optional.ofNullable(environment.get("XDG_RUNTIME_DIR")).filter(s -> !s.isBlank()).map(Path::of)
                .ifPresent(masks::add);
        config.mcp().map(McpConfig::authDir).ifPresent(masks::add);
        Optional.ofNullable(System.getProperty("kap.clix.env-file", environment.get("KAP_CLIX_ENV_FILE")))
                .or(() -> Optional.of(CLIX_ENV_FILE)).map(Path::of).map(Path::getParent).ifPresent(masks::add);
        List<Path> hidden = masks.stream().filter(Path::isAbsolute).map(Path::normalize)
                .filter(m -> m.getNameCount() > 0 && !workdir.startsWith(m) && Files.isDirectory(m)).distinct()
                .toList();
        List<Path> readOnly = new ArrayList<>(config.sources());
        readOnly.add(config.proxy().observe().log());
        return new MountPlan(hidden, readOnly.stream().map(Path::toAbsolutePath).distinct().toList(), runtimeDir,
                runtimeDir.resolve("resolv.conf"), resolvConf());
    }

    /** Where {@code /etc/resolv.conf} really is; a bind mount follows the symbolic link, so it must exist. */
    static Optional<Path> resolvConf() {
        try {
            return Optional.of(Path.of("/etc/resolv.conf").toRealPath());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The command's environment: the user's, with the proxy variables, the capsule id, the CLI proxy's address and
     * shims. Variables that point at Unix sockets the command cannot open are dropped, so clients do not try.
     *
     * @param user the user's environment
     * @param id the capsule id
     * @param shims the CLI shims' directory
     * @param allowUnixSockets whether the command may open Unix sockets
     * @return {@code NAME=value} entries
     */
    static List<String> environment(Map<String, String> user, String id, Path shims, boolean allowUnixSockets) {
        Map<String, String> env = new LinkedHashMap<>(user);
        for (String name : List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")) {
            env.put(name, PROXY);
        }
        env.put("NO_PROXY", NO_PROXY);
        env.put("no_proxy", NO_PROXY);
        env.put("KAP_CAPSULE", id);
        env.put("KAP_CLIX", "127.0.0.1:" + Service.CLIX.port());
        String path = user.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("PATH", shims + (path.isEmpty() ? "" : ":" + path));
        if (!allowUnixSockets) {
            env.remove("SSH_AUTH_SOCK");
            env.remove("DBUS_SESSION_BUS_ADDRESS");
        }
        return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }
}
