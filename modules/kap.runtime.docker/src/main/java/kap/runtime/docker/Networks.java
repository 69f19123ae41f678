package kap.runtime.docker;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Network;

/**
 * The capsule's two networks. The sandbox network is {@code internal} (no gateway, no NAT) and its bridge has no host
 * address ({@code inhibit_ipv4}), so the app can reach the sidecar and nothing else, not even the host; IPv6 is off.
 * The external network is a plain bridge that only the sidecar joins.
 */
final class Networks {

    /** Docker bridge option: give the bridge no IPv4 address, so the host is not on the sandbox network. */
    static final String INHIBIT_IPV4 = "com.docker.network.bridge.inhibit_ipv4";

    private final DockerClient docker;
    private final PrintStream progress;

    Networks(DockerClient docker, PrintStream progress) {
        this.docker = docker;
        this.progress = progress;
    }

    /**
     * Reuses both networks if they exist, otherwise creates them on a free, project-stable pair of subnets.
     *
     * @param names the capsule's names
     * @param projectDir the project, for the preferred subnets
     * @return the subnets in use
     * @throws IOException if no subnets are free
     */
    Subnets.Pair ensure(Names names, Path projectDir) throws IOException {
        Optional<Network> sandbox = find(names.sandbox());
        Optional<Network> external = find(names.external());
        if (sandbox.isPresent() && external.isPresent()) {
            return new Subnets.Pair(Subnets.prefixOf(subnet(sandbox.get())), Subnets.prefixOf(subnet(external.get())));
        }
        sandbox.ifPresent(n -> docker.removeNetworkCmd(n.getId()).exec());
        external.ifPresent(n -> docker.removeNetworkCmd(n.getId()).exec());
        Subnets.Pair pair = choose(projectDir);
        create(names.sandbox(), pair.sandboxCidr(), true, names);
        create(names.external(), pair.externalCidr(), false, names);
        progress.println("[network] " + names.sandbox() + " " + pair.sandboxCidr() + " (internal), "
                + names.external() + " " + pair.externalCidr());
        return pair;
    }

    /** A free pair now, without creating anything (for the compose overlay, whose networks compose creates). */
    Subnets.Pair choose(Path projectDir) throws IOException {
        return Subnets.choose(Subnets.preferred(projectDir), takenSubnets()).orElseThrow(() -> new IOException(
                "no two free /24 networks left in 172.18.0.0-172.31.255.0; remove unused Docker networks"));
    }

    List<String> takenSubnets() {
        List<String> taken = new ArrayList<>();
        for (Network n : docker.listNetworksCmd().exec()) {
            if (n.getIpam() != null && n.getIpam().getConfig() != null) {
                n.getIpam().getConfig().forEach(c -> {
                    if (c.getSubnet() != null) {
                        taken.add(c.getSubnet());
                    }
                });
            }
        }
        return taken;
    }

    Optional<Network> find(String name) {
        return docker.listNetworksCmd().withNameFilter(name).exec().stream()
                .filter(n -> n.getName().equals(name)).findFirst();
    }

    private void create(String name, String cidr, boolean internal, Names names) {
        Map<String, String> options = new HashMap<>();
        if (internal) {
            options.put(INHIBIT_IPV4, "true");
        }
        docker.createNetworkCmd().withName(name).withDriver("bridge").withInternal(internal).withEnableIpv6(false)
                .withCheckDuplicate(true).withOptions(options).withLabels(names.labels("network"))
                .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet(cidr))).exec();
    }

    private static String subnet(Network n) {
        return n.getIpam().getConfig().stream().map(Network.Ipam.Config::getSubnet)
                .filter(s -> s != null && !s.contains(":")).findFirst()
                .orElseThrow(() -> new IllegalStateException("network " + n.getName() + " has no IPv4 subnet"));
    }
}
