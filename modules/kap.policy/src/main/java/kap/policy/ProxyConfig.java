package kap.policy;

import java.util.List;
import java.util.Objects;

/**
 * {@code [proxy]}: the sidecar's network-facing listeners and their policy.
 *
 * @param listen egress proxy address; default {@code 0.0.0.0:3128}
 * @param dnsListen DNS forwarder address (UDP and TCP); default {@code 0.0.0.0:53}
 * @param dnsUpstreams upstream resolvers, tried in order; empty means "the host's resolver configuration"
 * @param adminListen admin listener (health, status, events); default {@code 127.0.0.1:3131}; must never be
 *         reachable from the capsule
 * @param network allow/deny rules and unsafe ranges
 * @param observe audit log settings
 * @param limits egress limits
 * @param dns DNS forwarder settings
 */
public record ProxyConfig(Endpoint listen, Endpoint dnsListen, List<Endpoint> dnsUpstreams, Endpoint adminListen,
                          NetworkConfig network, ObserveConfig observe, LimitsConfig limits, DnsConfig dns) {

    /**
     * Validates the record.
     */
    public ProxyConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(dnsListen, "dnsListen");
        dnsUpstreams = List.copyOf(dnsUpstreams);
        Objects.requireNonNull(adminListen, "adminListen");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(observe, "observe");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(dns, "dns");
    }
}
