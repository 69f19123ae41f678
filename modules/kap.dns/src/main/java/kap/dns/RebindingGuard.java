package kap.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.SVCBBase;
import org.xbill.DNS.Section;

import kap.policy.Decision;
import kap.policy.Policy;
import kap.policy.Reasons;

/**
 * The rebinding guard: every address in an upstream answer (A, AAAA, and the address hints of SVCB and HTTPS records)
 * is classified with the policy's classifier and vetted like an egress target. Records with an address that is not
 * public, and not opened by {@code unsafe_allow_cidrs}, are removed from every section.
 */
final class RebindingGuard {

    private RebindingGuard() {
    }

    /**
     * What the guard did.
     *
     * @param message the answer without the removed records
     * @param dropped addresses removed
     * @param opened non-public addresses an unsafe CIDR let through
     * @param answerEmptied {@code true} if records were removed from the answer section and no address record is
     *         left in it: the query then fails with SERVFAIL rather than returning a partial answer
     */
    record Result(Message message, List<InetAddress> dropped, List<InetAddress> opened, boolean answerEmptied) {
    }

    /**
     * Filters an answer.
     *
     * @param upstream the upstream's answer
     * @param policy the policy in force
     * @return the result
     */
    static Result filter(Message upstream, Policy policy) {
        List<InetAddress> dropped = new ArrayList<>();
        List<InetAddress> opened = new ArrayList<>();
        Message out = new Message(upstream.getHeader().getID());
        out.setHeader(upstream.getHeader().clone());
        boolean droppedFromAnswer = false;
        boolean addressLeft = false;
        for (int section = Section.QUESTION; section <= Section.ADDITIONAL; section++) {
            out.removeAllRecords(section);
            for (Record r : upstream.getSection(section)) {
                List<InetAddress> addresses = section == Section.QUESTION ? List.of() : addresses(r);
                boolean keep = true;
                for (InetAddress address : addresses) {
                    Decision d = policy.vet(policy.classify(address));
                    if (!d.allowed()) {
                        dropped.add(address);
                        keep = false;
                    } else if (Reasons.OPENED_BY_UNSAFE_CIDR.equals(d.reason())) {
                        opened.add(address);
                    }
                }
                if (keep) {
                    out.addRecord(r, section);
                    addressLeft |= section == Section.ANSWER && !addresses.isEmpty();
                } else {
                    droppedFromAnswer |= section == Section.ANSWER;
                }
            }
        }
        return new Result(out, dropped, opened, droppedFromAnswer && !addressLeft);
    }

    private static List<InetAddress> addresses(Record r) {
        return switch (r) {
            case ARecord a -> List.of(a.getAddress());
            case AAAARecord a -> List.of(a.getAddress());
            case SVCBBase s -> hints(s);
            default -> List.of();
        };
    }

    private static List<InetAddress> hints(SVCBBase record) {
        List<InetAddress> result = new ArrayList<>();
        try {
            if (record.getSvcParamValue(SVCBBase.IPV4HINT) instanceof SVCBBase.ParameterIpv4Hint v4) {
                result.addAll(v4.getAddresses());
            }
            if (record.getSvcParamValue(SVCBBase.IPV6HINT) instanceof SVCBBase.ParameterIpv6Hint v6) {
                result.addAll(v6.getAddresses());
            }
        } catch (UnknownHostException e) {
            // a hint we cannot read is treated like a bad address: the record goes
            result.add(InetAddress.getLoopbackAddress());
        }
        return result;
    }
}
