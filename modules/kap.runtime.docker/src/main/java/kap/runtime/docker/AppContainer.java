package kap.runtime.docker;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;

import kap.cli.spi.ProjectSpec;

/**
 * Creates and starts the app (agent) container: on the sandbox network only, DNS set to the sidecar, the proxy in
 * its environment, the shims first on PATH, the project mounted with {@code .devcontainer/} read-only on top (so the
 * agent cannot rewrite the policy the sidecar reads), and no raw sockets.
 */
final class AppContainer {

    /** Keeps a container without a command of its own alive, and stops at once on SIGTERM. */
    static final List<String> KEEP_ALIVE = List.of("/bin/sh", "-c",
            "trap 'exit 0' TERM INT; while sleep 3600 & wait $!; do :; done");

    private final DockerClient docker;
    private final PrintStream progress;
    private final Containers containers;

    AppContainer(DockerClient docker, PrintStream progress) {
        this.docker = docker;
        this.progress = progress;
        this.containers = new Containers(docker);
    }

    String start(Names names, ProjectSpec project, SidecarSpec sidecar, String image, Optional<Path> runtime,
                 Map<String, String> common) throws IOException {
        Map<String, String> env = new LinkedHashMap<>(project.env());
        env.putAll(proxyEnvironment(sidecar));
        env.put("PATH", "/opt/kap/bin:" + imagePath(image));
        List<String> binds = new ArrayList<>();
        binds.add(project.projectDir() + ":" + project.workspaceFolder());
        binds.add(project.projectDir().resolve(".devcontainer") + ":" + project.workspaceFolder() + "/.devcontainer:ro");
        runtime.ifPresent(r -> binds.add(r + ":/opt/kap/runtime:ro"));
        project.sshAgentSocket().ifPresent(s -> {
            binds.add(s + ":/ssh-agent");
            env.put("SSH_AUTH_SOCK", "/ssh-agent");
        });
        List<Mount> mounts = new ArrayList<>(List.of(new Mount().withType(MountType.VOLUME)
                .withSource(names.shims()).withTarget("/opt/kap/bin").withReadOnly(true)));
        for (ProjectSpec.Mount m : project.mounts()) {
            if (m.source().startsWith("/")) {
                binds.add(m.source() + ":" + m.target() + (m.readOnly() ? ":ro" : ""));
            } else {
                mounts.add(new Mount().withType(MountType.VOLUME).withSource(names.id() + "-" + m.source())
                        .withTarget(m.target()).withReadOnly(m.readOnly()));
            }
        }
        Map<String, String> labels = new HashMap<>(common);
        labels.putAll(names.labels("app"));
        labels.put(Names.WORKSPACE, project.workspaceFolder());
        project.user().ifPresent(u -> labels.put(Names.USER, u));
        labels.put(Names.EXEC_ENV, encode(project.execEnv()));
        List<String> command = project.command().orElse(KEEP_ALIVE);
        String hash = Names.hash(image + env + binds + mounts + labels + command + sidecar.sandboxIp());
        labels.put(Containers.SPEC, hash);
        String id = containers.reusable(names.app(), hash).orElseGet(() -> docker.createContainerCmd(image)
                .withName(names.app()).withHostName(project.name().replaceAll("[^A-Za-z0-9-]", "-"))
                .withCmd(command).withEnv(env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                .withLabels(labels).withWorkingDir(project.workspaceFolder()).withIpv4Address(sidecar.appIp())
                .withHostConfig(HostConfig.newHostConfig()
                        .withBinds(binds.stream().map(Bind::parse).toList()).withMounts(mounts)
                        .withNetworkMode(names.sandbox()).withDns(sidecar.sandboxIp())
                        .withCapDrop(Capability.NET_RAW)
                        .withSysctls(Map.of("net.ipv6.conf.all.disable_ipv6", "1")))
                .exec().getId());
        progress.println("[app] starting " + names.app() + " (" + image + ")");
        containers.startIfStopped(id);
        return id;
    }

    /** The proxy variables, in both spellings, pointing at the sidecar. */
    static Map<String, String> proxyEnvironment(SidecarSpec sidecar) {
        String proxy = "http://" + sidecar.sandboxIp() + ":" + sidecar.egressPort();
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")) {
            env.put(name, proxy);
        }
        env.put("NO_PROXY", "localhost,127.0.0.1");
        env.put("no_proxy", "localhost,127.0.0.1");
        return env;
    }

    private String imagePath(String image) {
        String[] env = docker.inspectImageCmd(image).exec().getConfig().getEnv();
        if (env != null) {
            for (String e : env) {
                if (e.startsWith("PATH=")) {
                    return e.substring(5);
                }
            }
        }
        return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    }

    static String encode(Map<String, String> env) {
        StringBuilder out = new StringBuilder();
        env.forEach((k, v) -> out.append(k).append('=').append(v).append('\0'));
        return Base64.getEncoder().encodeToString(out.toString().getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, String> decode(String label) {
        Map<String, String> env = new LinkedHashMap<>();
        if (label == null || label.isEmpty()) {
            return env;
        }
        for (String pair : new String(Base64.getDecoder().decode(label), StandardCharsets.UTF_8).split("\0")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                env.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return env;
    }
}
