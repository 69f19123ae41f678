package kap.runtime.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;

/**
 * Creates and starts the sidecar container, then waits until its admin {@code /health} answers {@code ok} through
 * the port published on the host's loopback.
 *
 * <p>The sidecar runs as uid 10001 with every capability dropped, a read-only root file system, and
 * {@code no-new-privileges}; the namespaced sysctl {@code ip_unprivileged_port_start=0} lets it bind port 53. The
 * admin listener binds to the sidecar's address on the external network, where Docker's port publishing reaches it
 * (publishing never reaches a container's loopback); the app, on the internal network with no route there and no
 * raw sockets, cannot.
 */
final class SidecarContainer {

    /** Longest wait for a healthy sidecar. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final DockerClient docker;
    private final PrintStream progress;
    private final Containers containers;

    SidecarContainer(DockerClient docker, PrintStream progress) {
        this.docker = docker;
        this.progress = progress;
        this.containers = new Containers(docker);
    }

    /**
     * Creates (or reuses) and starts the sidecar, and waits for its health.
     *
     * @param names the capsule's names
     * @param spec how it runs
     * @param labels extra labels
     * @return the container id and the host port of the admin listener
     * @throws IOException if it does not become healthy
     */
    Started start(Names names, SidecarSpec spec, Map<String, String> labels) throws IOException {
        String hash = Names.hash(spec.toString() + labels);
        String id = containers.reusable(names.sidecar(), hash).orElseGet(() -> create(names, spec, labels, hash));
        progress.println("[sidecar] starting " + names.sidecar() + " (" + spec.image() + ")");
        containers.startIfStopped(id);
        int port = adminHostPort(id, spec.adminPort());
        waitHealthy(id, port);
        return new Started(id, port);
    }

    record Started(String id, int adminHostPort) {
    }

    private String create(Names names, SidecarSpec spec, Map<String, String> labels, String hash) {
        Map<String, String> all = new HashMap<>(labels);
        all.putAll(names.labels("sidecar"));
        all.put(Containers.SPEC, hash);
        ExposedPort admin = ExposedPort.tcp(spec.adminPort());
        HostConfig host = HostConfig.newHostConfig()
                .withBinds(spec.binds().stream().map(Bind::parse).toList())
                .withMounts(List.of(new Mount().withType(MountType.VOLUME).withSource(names.shims())
                        .withTarget("/var/lib/kap/shims")))
                .withNetworkMode(names.sandbox())
                .withPortBindings(new PortBinding(Ports.Binding.bindIp("127.0.0.1"), admin))
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges:true"))
                .withSysctls(SidecarSpec.sysctls())
                .withReadonlyRootfs(true)
                .withTmpFs(Map.of("/tmp", "rw,nosuid,nodev,size=64m"))
                .withRestartPolicy(RestartPolicy.unlessStoppedRestart());
        long second = TimeUnit.SECONDS.toNanos(1);
        String id = docker.createContainerCmd(spec.image()).withName(names.sidecar()).withHostName("kap-sidecar")
                .withCmd(spec.command()).withEnv(spec.environment().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).toList())
                .withLabels(all).withExposedPorts(admin).withIpv4Address(spec.sandboxIp())
                .withHealthcheck(new HealthCheck().withTest(spec.healthTest())
                        .withInterval(SidecarSpec.HEALTH_INTERVAL_SECONDS * second).withTimeout(5 * second)
                        .withRetries(3).withStartPeriod(60 * second))
                .withHostConfig(host).exec().getId();
        docker.connectToNetworkCmd().withNetworkId(names.external()).withContainerId(id)
                .withContainerNetwork(new ContainerNetwork().withIpamConfig(
                        new ContainerNetwork.Ipam().withIpv4Address(spec.externalIp()))).exec();
        return id;
    }

    int adminHostPort(String id, int adminPort) throws IOException {
        var bindings = docker.inspectContainerCmd(id).exec().getNetworkSettings().getPorts().getBindings()
                .get(ExposedPort.tcp(adminPort));
        if (bindings == null || bindings.length == 0) {
            throw new IOException("the sidecar's admin port " + adminPort + " is not published");
        }
        return Integer.parseInt(bindings[0].getHostPortSpec());
    }

    private void waitHealthy(String id, int port) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            if (!containers.running(id) || containers.restarts(id) > 0) {
                throw new IOException("the sidecar stopped while starting:\n" + containers.tail(id, 40));
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/health").toURL()
                        .openConnection();
                c.setConnectTimeout(1000);
                c.setReadTimeout(2000);
                if (c.getResponseCode() == 200) {
                    try (InputStream in = c.getInputStream()) {
                        String body = new String(in.readNBytes(65536), StandardCharsets.UTF_8);
                        if (body.contains("\"status\":\"ok\"")) {
                            progress.println("[sidecar] healthy: admin on 127.0.0.1:" + port);
                            return;
                        }
                        last = body;
                    }
                }
            } catch (IOException e) {
                last = e.toString();
            }
            sleep(250);
        }
        throw new IOException("the sidecar did not become healthy within " + START_TIMEOUT.toSeconds() + " s ("
                + last + "):\n" + containers.tail(id, 40));
    }

    static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
