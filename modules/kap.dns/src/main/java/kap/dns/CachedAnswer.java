package kap.dns;

import java.net.InetAddress;
import java.util.List;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * An upstream answer after the guards, ready to serve: a wire template (ID 0, our lower-case question, no OPT) and
 * the TTL offsets to count down. Immutable; the template is never handed out, only copied.
 *
 * @param template wire form
 * @param flags the template's flags word (AA is kept from upstream)
 * @param rcode NOERROR or NXDOMAIN
 * @param questionLength length of the question in the template
 * @param ttlOffsets where each TTL is
 * @param storedNanos when it was stored ({@link System#nanoTime()})
 * @param expiresNanos when it goes stale; equal to {@code storedNanos} when it must not be cached
 * @param opened addresses in it that only an {@code unsafe_allow_cidrs} entry let through; checked again on every
 *         hit, since a reload may close the range
 */
record CachedAnswer(byte[] template, int flags, int rcode, int questionLength, int[] ttlOffsets, long storedNanos,
                    long expiresNanos, List<InetAddress> opened) {

    /** Longest time a positive answer is kept, whatever its TTL. */
    static final long MAX_POSITIVE_TTL = 86_400;
    /** Longest time a negative answer is kept (RFC 2308 §5 suggests one to three hours). */
    static final long MAX_NEGATIVE_TTL = 10_800;

    /**
     * Builds the template from a filtered upstream answer.
     *
     * @param upstream the upstream's answer, already through the rebinding guard
     * @param question our question: the normalised lower-case name
     * @param type the question's type
     * @param opened addresses let through by an unsafe CIDR
     * @param nowNanos {@link System#nanoTime()}
     * @return the answer; not cacheable when its TTL is 0 or a negative answer has no SOA (RFC 2308 §5)
     */
    static CachedAnswer from(Message upstream, Name question, int type, List<InetAddress> opened, long nowNanos) {
        Message m = new Message(0);
        m.getHeader().setFlag(Flags.QR);
        if (upstream.getHeader().getFlag(Flags.AA)) {
            m.getHeader().setFlag(Flags.AA);
        }
        int rcode = upstream.getRcode();
        m.getHeader().setRcode(rcode);
        m.addRecord(Record.newRecord(question, type, DClass.IN), Section.QUESTION);
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
            for (Record r : upstream.getSection(section)) {
                if (r.getType() != Type.OPT && r.getType() != Type.TSIG && r.getType() != Type.SIG) {
                    m.addRecord(r, section);
                }
            }
        }
        byte[] wire = m.toWire();
        WireWalker.Layout layout = WireWalker.walk(wire);
        long ttl = ttl(m, rcode);
        if (ttl > 0 && m.getSection(Section.ANSWER).isEmpty()) {
            // RFC 2308 §3: the SOA of a negative answer carries the negative TTL
            for (int i = 0; i < layout.types().length; i++) {
                if (layout.types()[i] == Type.SOA) {
                    Wire.put32(wire, layout.ttlOffsets()[i], ttl);
                }
            }
        }
        return new CachedAnswer(wire, upstream.getHeader().getFlag(Flags.AA) ? Wire.AA : 0, rcode, layout.questionEnd() - Query.QUESTION_START,
                layout.ttlOffsets(), nowNanos, nowNanos + ttl * 1_000_000_000L, List.copyOf(opened));
    }

    /**
     * Whether it may be cached.
     *
     * @return {@code true} if its TTL is positive
     */
    boolean cacheable() {
        return expiresNanos > storedNanos;
    }

    /**
     * Whether it is still fresh.
     *
     * @param nowNanos {@link System#nanoTime()}
     * @return {@code true} before expiry
     */
    boolean fresh(long nowNanos) {
        return nowNanos - expiresNanos < 0;
    }

    private static long ttl(Message m, int rcode) {
        List<Record> answers = m.getSection(Section.ANSWER);
        if (rcode == Wire.NOERROR && !answers.isEmpty()) {
            long min = MAX_POSITIVE_TTL;
            for (Record r : answers) {
                min = Math.min(min, r.getTTL());
            }
            return min;
        }
        for (Record r : m.getSection(Section.AUTHORITY)) {
            if (r instanceof SOARecord soa) {
                return Math.min(MAX_NEGATIVE_TTL, Math.min(soa.getTTL(), soa.getMinimum()));
            }
        }
        return 0;
    }

    /** Equal when the bytes and times are, not the arrays. */
    @Override
    public boolean equals(Object other) {
        return other instanceof CachedAnswer o && java.util.Arrays.equals(template, o.template) && java.util.Arrays.equals(ttlOffsets, o.ttlOffsets)
                && storedNanos == o.storedNanos && expiresNanos == o.expiresNanos && opened.equals(o.opened);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(template) * 31 + Long.hashCode(expiresNanos);
    }
}
