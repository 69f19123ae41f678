package kap.runtime.docker;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;

import kap.cli.spi.ProbeResult;

/**
 * The isolation probes of {@code kap status}, run in a short-lived container from the sidecar image that shares the
 * app container's network namespace: it sees exactly the app's routes, and needs nothing installed in the app image.
 */
final class Probes {

    /** A name no policy allows; probes of it are left out of {@code kap why-denied}. */
    static final String PROBE_NAME = "kap-probe.invalid";

    private final DockerClient docker;
    private final Containers containers;

    Probes(DockerClient docker) {
        this.docker = docker;
        this.containers = new Containers(docker);
    }

    /**
     * The probes for a capsule's addresses.
     *
     * @param sandboxIp the sidecar's sandbox address
     * @param externalIp the sidecar's external address
     * @param adminPort the admin port
     * @param egressPort the proxy port
     * @return probe arguments, with a description each
     */
    static Map<String, String> plan(String sandboxIp, String externalIp, int adminPort, int egressPort) {
        String gateway = externalIp.substring(0, externalIp.lastIndexOf('.')) + ".1";
        Map<String, String> plan = new java.util.LinkedHashMap<>();
        plan.put("tcp:" + gateway + ":443", "direct TCP to an outside address (" + gateway + ":443) has no route");
        plan.put("udp53:" + gateway, "DNS to an outside server (" + gateway + ") gets no answer");
        plan.put("tcp:[2001:db8::1]:443", "IPv6 has no route");
        plan.put("tcp:169.254.169.254:80", "the metadata address 169.254.169.254 is unreachable");
        plan.put("tcp:" + externalIp + ":" + adminPort, "the sidecar's admin listener is unreachable");
        plan.put("closed:" + sandboxIp + ":" + adminPort, "no admin listener on the sandbox network");
        plan.put("dns-denies:" + sandboxIp + ":" + PROBE_NAME, "the sidecar's DNS denies an unlisted name");
        plan.put("proxy-denies:" + sandboxIp + ":" + egressPort + ":" + PROBE_NAME,
                "the sidecar's proxy denies an unlisted name");
        return plan;
    }

    List<ProbeResult> run(String appId, String image, Map<String, String> plan, Names names) throws IOException {
        List<String> args = new ArrayList<>(plan.keySet());
        String id = docker.createContainerCmd(image)
                .withEntrypoint(SidecarImage.HOME + "/bin/java", "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC", "-XX:-UsePerfData", "-m", "kap.sidecar/kap.sidecar.probe.IsolationProbe")
                .withCmd(args).withLabels(names.labels("probe")).withUser(SidecarImage.UID + ":" + SidecarImage.UID)
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("container:" + appId)
                        .withCapDrop(Capability.ALL).withSecurityOpts(List.of("no-new-privileges:true"))
                        .withReadonlyRootfs(true))
                .exec().getId();
        try {
            docker.startContainerCmd(id).exec();
            docker.waitContainerCmd(id).start().awaitStatusCode(60, TimeUnit.SECONDS);
            String output = containers.tail(id, 200);
            List<ProbeResult> results = new ArrayList<>();
            for (String arg : args) {
                String line = output.lines().filter(l -> l.startsWith("PASS " + arg + " ")
                        || l.startsWith("FAIL " + arg + " ") || l.equals("PASS " + arg) || l.equals("FAIL " + arg))
                        .findFirst().orElse("FAIL " + arg + " no result: " + output.strip());
                String detail = line.length() > 5 + arg.length() ? line.substring(6 + arg.length()) : "";
                results.add(new ProbeResult(plan.get(arg), line.startsWith("PASS"), detail));
            }
            return results;
        } catch (RuntimeException e) {
            throw new IOException("the isolation probes could not run: " + e.getMessage(), e);
        } finally {
            containers.remove(id);
        }
    }
}
