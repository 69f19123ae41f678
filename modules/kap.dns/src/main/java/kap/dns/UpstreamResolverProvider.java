package kap.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import kap.policy.DnsConfig;
import kap.policy.Endpoint;
import kap.policy.LivePolicy;
import kap.sidecar.spi.Resolver;
import kap.sidecar.spi.ResolverProvider;

/**
 * Resolves names for the egress proxy through the same upstreams as the DNS forwarder ({@code proxy.dns_upstream},
 * else the host's resolver configuration), so the proxy and the capsule see the same answers and no lookup leaves
 * through a resolver the policy did not name. {@code localhost} and names below it are loopback (RFC 6761) and never
 * leave the sidecar; {@code /etc/hosts} is not read.
 */
public final class UpstreamResolverProvider implements ResolverProvider {

    /**
     * Required public constructor for ServiceLoader.
     */
    public UpstreamResolverProvider() {
    }

    @Override
    public Resolver create(LivePolicy policy) {
        List<Endpoint> host;
        try {
            host = ResolvConf.read(DnsOptions.HOST_RESOLV_CONF).nameservers();
        } catch (IOException e) {
            host = List.of();
        }
        return new UpstreamResolver(policy, host, new Upstreams());
    }

    private record UpstreamResolver(LivePolicy policy, List<Endpoint> host, Upstreams upstreams) implements Resolver {
        @Override
        public List<InetAddress> resolve(String name) throws UnknownHostException {
            if (name.equals("localhost") || name.endsWith(".localhost")) {
                // RFC 6761 §6.3: resolved locally, never asked upstream; the address layer still judges loopback
                return List.of(InetAddress.ofLiteral("127.0.0.1"), InetAddress.ofLiteral("::1"));
            }
            var proxy = policy.current().config().proxy();
            List<Endpoint> servers = proxy.dnsUpstreams().isEmpty() ? host : proxy.dnsUpstreams();
            DnsConfig dns = proxy.dns();
            List<InetAddress> result = new ArrayList<>();
            String last = "no answer";
            for (int type : new int[] {Type.A, Type.AAAA}) {
                try {
                    for (Record r : upstreams.ask(name, type, servers, dns.upstreamTimeout()).message()
                            .getSection(Section.ANSWER)) {
                        if (r instanceof ARecord a) {
                            result.add(a.getAddress());
                        } else if (r instanceof AAAARecord aaaa) {
                            result.add(aaaa.getAddress());
                        }
                    }
                } catch (UpstreamException e) {
                    last = e.getMessage();
                }
            }
            if (result.isEmpty()) {
                throw new UnknownHostException(name + " (" + last + ")");
            }
            return List.copyOf(result);
        }
    }
}
