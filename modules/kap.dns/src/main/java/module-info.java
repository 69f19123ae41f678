/**
 * kap.dns: the DNS forwarder of the sidecar. It listens on UDP and TCP, checks every query against the same policy
 * as the egress proxy, forwards allowed names to the configured upstreams (or the host's resolvers), caches answers,
 * drops answers that point into non-public ranges (rebinding guard), and limits how many unique names a zone and how
 * many queries a client may ask (exfiltration guard). Every refusal is an audit event.
 *
 * <p>Main types: {@link kap.dns.DnsForwarder} (start one directly) and {@link kap.dns.DnsOptions}. The sidecar starts
 * it as the listener named {@code dns}. Behaviour and limits: {@code docs/DNS.md}.
 *
 * @provides kap.sidecar.spi.ListenerProvider the {@code dns} listener, always enabled
 * @provides kap.sidecar.spi.ResolverProvider names for the egress proxy, through the same upstreams
 */
module kap.dns {
    requires transitive kap.sidecar;
    requires org.dnsjava;

    exports kap.dns;

    provides kap.sidecar.spi.ListenerProvider with kap.dns.DnsListenerProvider;
    provides kap.sidecar.spi.ResolverProvider with kap.dns.UpstreamResolverProvider;
}
