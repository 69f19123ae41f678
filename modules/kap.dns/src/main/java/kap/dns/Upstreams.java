package kap.dns;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

import kap.policy.Endpoint;

/**
 * Asks the upstream resolvers, with failover. Each attempt gets {@code upstream_timeout}, and the whole exchange
 * never takes longer than {@link #DEADLINE_FACTOR} times that, so a dead upstream costs the client a bounded wait and
 * then SERVFAIL; with time left after trying every upstream, the list is tried once more, so a lost datagram is
 * retransmitted. An upstream that failed in the last {@link #PENALTY} is tried after the others. A truncated UDP
 * reply is asked again over TCP. Only the name, type and class of the client's question go upstream, under a fresh
 * random ID; nothing else of the client's message does.
 */
final class Upstreams {

    /** The whole exchange is bounded by this many upstream timeouts. */
    static final int DEADLINE_FACTOR = 2;
    /** How long a failed upstream goes to the back of the list. */
    static final Duration PENALTY = Duration.ofSeconds(30);

    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<Endpoint, Long> failedAt = new ConcurrentHashMap<>();

    /**
     * The answer and who gave it.
     *
     * @param message the upstream's reply, rcode NOERROR or NXDOMAIN
     * @param upstream who answered
     * @param tcp whether it came over TCP
     */
    record Answer(Message message, Endpoint upstream, boolean tcp) {
    }

    /**
     * Resolves one question.
     *
     * @param name normalised name
     * @param type query type
     * @param upstreams the upstreams in configured order
     * @param timeout per-attempt timeout
     * @return the first usable answer
     * @throws UpstreamException if none came in time
     */
    Answer ask(String name, int type, List<Endpoint> upstreams, Duration timeout) throws UpstreamException {
        if (upstreams.isEmpty()) {
            throw new UpstreamException("no upstream configured");
        }
        Name qname = Name.fromConstantString(name + ".");
        long start = System.nanoTime();
        long deadline = start + DEADLINE_FACTOR * timeout.toNanos();
        String last = "no attempt";
        List<Endpoint> order = ordered(upstreams, start);
        // with time left after the whole list, it goes round once more: a lost datagram is retransmitted
        int attempts = order.size() * DEADLINE_FACTOR;
        for (int i = 0; i < attempts && deadline - System.nanoTime() > 0; i++) {
            Endpoint upstream = order.get(i % order.size());
            long attemptDeadline = Math.min(deadline, System.nanoTime() + timeout.toNanos());
            try {
                Answer answer = attempt(upstream, qname, type, attemptDeadline);
                int rcode = answer.message().getRcode();
                if (rcode == Wire.NOERROR || rcode == Wire.NXDOMAIN) {
                    failedAt.remove(upstream);
                    return answer;
                }
                last = upstream + " answered rcode " + rcode;
            } catch (IOException e) {
                last = upstream + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
            failedAt.put(upstream, System.nanoTime());
        }
        throw new UpstreamException(last);
    }

    private Answer attempt(Endpoint upstream, Name qname, int type, long deadline) throws IOException {
        Message reply = UpstreamExchange.udp(upstream.socketAddress(), query(qname, type), deadline);
        if (!reply.getHeader().getFlag(Flags.TC)) {
            return new Answer(reply, upstream, false);
        }
        return new Answer(UpstreamExchange.tcp(upstream.socketAddress(), query(qname, type), deadline), upstream,
                true);
    }

    private Message query(Name qname, int type) {
        Message query = Message.newQuery(Record.newRecord(qname, type, DClass.IN));
        query.getHeader().setID(random.nextInt(0x10000));
        query.addRecord(new OPTRecord(Wire.EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
        return query;
    }

    /** Healthy upstreams first, in configured order, then those that failed recently. */
    private List<Endpoint> ordered(List<Endpoint> upstreams, long now) {
        if (failedAt.isEmpty()) {
            return upstreams;
        }
        List<Endpoint> healthy = new ArrayList<>();
        List<Endpoint> failing = new ArrayList<>();
        for (Endpoint e : upstreams) {
            Long at = failedAt.get(e);
            (at != null && now - at < PENALTY.toNanos() ? failing : healthy).add(e);
        }
        healthy.addAll(failing);
        return healthy;
    }
}
