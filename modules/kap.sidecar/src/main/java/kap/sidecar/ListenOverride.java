package kap.sidecar;

import java.net.InetAddress;
import java.util.Objects;

import kap.policy.CliConfig;
import kap.policy.Endpoint;
import kap.policy.KapConfig;
import kap.policy.McpConfig;
import kap.policy.ProxyConfig;

/**
 * Listen addresses chosen by the runtime rather than by {@code kap.toml}. {@code kap run} puts every listener on an
 * ephemeral loopback port and carries it into the capsule itself, so a {@code listen = "0.0.0.0:3128"} written for
 * the Docker runtime must not apply there.
 *
 * @param egress egress proxy
 * @param dns DNS forwarder (UDP and TCP)
 * @param mcp MCP proxy, if the configuration runs one
 * @param cli CLI proxy, if the configuration runs one
 * @param admin admin listener
 */
public record ListenOverride(Endpoint egress, Endpoint dns, Endpoint mcp, Endpoint cli, Endpoint admin) {

    /**
     * Validates the record.
     */
    public ListenOverride {
        Objects.requireNonNull(egress, "egress");
        Objects.requireNonNull(dns, "dns");
        Objects.requireNonNull(mcp, "mcp");
        Objects.requireNonNull(cli, "cli");
        Objects.requireNonNull(admin, "admin");
    }

    /**
     * Every listener on {@code 127.0.0.1}, each on a port the OS picks.
     *
     * @return the override
     */
    public static ListenOverride loopbackEphemeral() {
        Endpoint any = new Endpoint(InetAddress.getLoopbackAddress(), 0);
        return new ListenOverride(any, any, any, any, any);
    }

    /**
     * The configuration with these addresses in place of its own.
     *
     * @param config a loaded configuration
     * @return a copy whose listen addresses are these
     */
    public KapConfig applyTo(KapConfig config) {
        ProxyConfig p = config.proxy();
        ProxyConfig proxy = new ProxyConfig(egress, dns, p.dnsUpstreams(), admin, p.network(), p.observe(),
                p.limits(), p.dns());
        return new KapConfig(config.sshAgent(), config.sshSigning(), config.env(), config.setup(), proxy,
                config.mcp().map(m -> new McpConfig(mcp, m.authDir(), m.servers())),
                config.cli().map(c -> new CliConfig(cli, c.tools())), config.compose(), config.sources());
    }
}
