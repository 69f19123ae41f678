package kap.sidecar;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import kap.policy.Endpoint;
import kap.sidecar.spi.Resolver;

/**
 * Resolves through the upstream servers that {@code proxy.dns_upstream} names, the same servers the DNS forwarder
 * asks, instead of the host's resolver configuration: in a sidecar container that configuration is Docker's embedded
 * DNS, which falls back to the host's resolvers. IPv4 addresses come first.
 */
final class UpstreamResolver implements Resolver {

    /** Time for one upstream before the next is tried. */
    static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final ExtendedResolver resolver;

    UpstreamResolver(List<Endpoint> upstreams) {
        List<org.xbill.DNS.Resolver> servers = new ArrayList<>();
        for (Endpoint e : upstreams) {
            SimpleResolver s = new SimpleResolver(e.socketAddress());
            s.setTimeout(TIMEOUT);
            servers.add(s);
        }
        this.resolver = new ExtendedResolver(servers);
        resolver.setTimeout(TIMEOUT);
        resolver.setRetries(1);
    }

    @Override
    public List<InetAddress> resolve(String name) throws UnknownHostException {
        Name fqdn;
        try {
            fqdn = Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            throw new UnknownHostException(name + ": " + e.getMessage());
        }
        List<InetAddress> result = new ArrayList<>(query(fqdn, Type.A));
        result.addAll(query(fqdn, Type.AAAA));
        if (result.isEmpty()) {
            throw new UnknownHostException(name);
        }
        return result;
    }

    private List<InetAddress> query(Name name, int type) throws UnknownHostException {
        Message answer;
        try {
            answer = resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
        } catch (IOException e) {
            throw new UnknownHostException(name + ": no answer from the upstream (" + e.getMessage() + ")");
        }
        List<InetAddress> addresses = new ArrayList<>();
        if (answer.getRcode() != Rcode.NOERROR) {
            return addresses;
        }
        for (Record r : answer.getSection(Section.ANSWER)) {
            if (r instanceof ARecord a) {
                addresses.add(a.getAddress());
            } else if (r instanceof AAAARecord aaaa) {
                addresses.add(aaaa.getAddress());
            }
        }
        return addresses;
    }
}
