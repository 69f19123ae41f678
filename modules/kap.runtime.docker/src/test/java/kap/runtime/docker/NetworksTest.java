package kap.runtime.docker;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Network;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The capsule's networks on a real Docker engine: the sandbox is internal, its bridge has no host address, IPv6 is
 * off, both carry the capsule label, a second {@code ensure} reuses them, and their subnets avoid the others.
 */
@Timeout(120)
class NetworksTest {

    private DockerClient docker;
    private Names names;
    private Networks networks;

    @BeforeEach
    void connect() {
        docker = Engine.connect(System.getenv());
        names = new Names("kap-nettest-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000000,
                0x7fffffff)));
        networks = new Networks(docker, new PrintStream(new ByteArrayOutputStream()));
    }

    @AfterEach
    void removeWhatTheTestCreated() throws Exception {
        for (String n : new String[] {names.sandbox(), names.external()}) {
            networks.find(n).ifPresent(x -> docker.removeNetworkCmd(x.getId()).exec());
        }
        docker.close();
    }

    @Test
    void createsAnInternalSandboxWithoutAHostAddressAndAnExternalBridge() throws Exception {
        Subnets.Pair pair = networks.ensure(names, Path.of("/tmp/kap-nettest/" + names.id()));
        Network sandbox = docker.inspectNetworkCmd().withNetworkId(names.sandbox()).exec();
        Network external = docker.inspectNetworkCmd().withNetworkId(names.external()).exec();
        assertThat(sandbox.getInternal(), is(true));
        assertThat(sandbox.getOptions().get(Networks.INHIBIT_IPV4), equalTo("true"));
        assertThat(sandbox.getEnableIPv6(), is(false));
        assertThat(external.getInternal(), is(false));
        assertThat(sandbox.getLabels().get(Names.CAPSULE), equalTo(names.id()));
        assertThat(sandbox.getIpam().getConfig().getFirst().getSubnet(), equalTo(pair.sandboxCidr()));
        assertThat(external.getIpam().getConfig().getFirst().getSubnet(), equalTo(pair.externalCidr()));
    }

    @Test
    void aSecondEnsureReusesTheNetworksAndANewCapsuleAvoidsTheirSubnets() throws Exception {
        Path dir = Path.of("/tmp/kap-nettest/" + names.id());
        Subnets.Pair first = networks.ensure(names, dir);
        String id = networks.find(names.sandbox()).orElseThrow().getId();
        assertThat(networks.ensure(names, dir), equalTo(first));
        assertThat(networks.find(names.sandbox()).orElseThrow().getId(), equalTo(id));
        // the same project path prefers the same subnets, which are now taken: the choice moves on
        Subnets.Pair other = networks.choose(dir);
        assertThat(other.sandbox(), not(equalTo(first.sandbox())));
        assertThat(other.sandbox(), not(equalTo(first.external())));
        assertThat(other.external(), not(equalTo(first.sandbox())));
    }
}
