package kap.dns;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds every reply kap.dns sends: refusals, errors and answers. This is the one place where a decision becomes
 * wire bytes.
 *
 * <p>The question is copied from the client's packet byte for byte. An OPT record is added only when the client sent
 * one (RFC 6891 §7), and then it carries an Extended DNS Error (RFC 8914) saying why a query was refused. UDP replies
 * larger than the client can take are truncated to the header and question with TC set.
 */
final class Replies {

    private static final int MAX_EDE_TEXT = 160;

    private Replies() {
    }

    /**
     * A reply without answers: a refusal, SERVFAIL or BADVERS.
     *
     * @param query the query
     * @param refusal the code, and the EDE to attach when the client speaks EDNS
     * @return wire bytes
     */
    static byte[] refusal(Query query, Refusal refusal) {
        byte[] ede = query.edns() ? ede(refusal.edeCode(), refusal.text()) : new byte[0];
        return build(query, refusal.rcode(), 0, ede);
    }

    /**
     * The reply to a message we could not fully parse: the header echoed with the given code, and the question too if
     * the first one is well formed and alone.
     *
     * @param packet the message, at least 12 bytes
     * @param rcode reply code
     * @return wire bytes
     */
    static byte[] minimal(byte[] packet, int rcode) {
        int end = Wire.u16(packet, 4) == 1 ? QueryParser.questionEnd(packet, packet.length) : -1;
        int length = end < 0 ? QueryParser.HEADER : end;
        byte[] out = Arrays.copyOf(packet, length);
        Wire.put16(out, 2, Wire.replyFlags(Wire.u16(packet, 2), 0, rcode));
        Wire.put16(out, 4, end < 0 ? 0 : 1);
        Wire.put16(out, 6, 0);
        Wire.put16(out, 8, 0);
        Wire.put16(out, 10, 0);
        return out;
    }

    /**
     * An answer from the cache or fresh from upstream, with the client's ID and question and TTLs counted down.
     *
     * @param answer the cached answer
     * @param query the query
     * @param nowNanos {@link System#nanoTime()}
     * @param tcp whether the reply goes over TCP (no truncation below 64 KiB)
     * @return wire bytes
     */
    static byte[] answer(CachedAnswer answer, Query query, long nowNanos, boolean tcp) {
        byte[] template = answer.template();
        int optLength = query.edns() ? Wire.OPT_LENGTH : 0;
        if (template.length + optLength > maxSize(query, tcp)) {
            return build(query, answer.rcode(), Wire.TC, new byte[0]);
        }
        byte[] out = Arrays.copyOf(template, template.length + optLength);
        Wire.put16(out, 0, query.id());
        Wire.put16(out, 2, Wire.replyFlags(query.flags(), answer.flags() & Wire.AA, answer.rcode()));
        if (query.questionLength() == answer.questionLength()) {
            System.arraycopy(query.packet(), Query.QUESTION_START, out, Query.QUESTION_START, query.questionLength());
        }
        long age = Math.max(0, (nowNanos - answer.storedNanos()) / 1_000_000_000L);
        // whole seconds: the age rounds down and what is left rounds up, so a TTL only reaches 0 as the entry expires
        long left = Math.max(0, (answer.expiresNanos() - nowNanos + 999_999_999L) / 1_000_000_000L);
        for (int offset : answer.ttlOffsets()) {
            Wire.put32(out, offset, Math.min(left, Math.max(0, Wire.u32(template, offset) - age)));
        }
        if (optLength > 0) {
            writeOpt(out, template.length, 0, new byte[0]);
            Wire.put16(out, 10, Wire.u16(out, 10) + 1);
        }
        return out;
    }

    /**
     * The largest reply the transport and the client allow.
     *
     * @param query the query
     * @param tcp TCP or UDP
     * @return bytes
     */
    static int maxSize(Query query, boolean tcp) {
        if (tcp) {
            return QueryParser.MAX_TCP_MESSAGE;
        }
        return query.edns() ? Math.min(query.ednsPayload(), Wire.EDNS_PAYLOAD) : Wire.PLAIN_UDP;
    }

    /** Header and question, no records but the OPT (when the client sent one). */
    private static byte[] build(Query query, int rcode, int extraFlags, byte[] options) {
        int optLength = query.edns() ? Wire.OPT_LENGTH + options.length : 0;
        byte[] out = new byte[query.questionEnd() + optLength];
        System.arraycopy(query.packet(), 0, out, 0, query.questionEnd());
        Wire.put16(out, 2, Wire.replyFlags(query.flags(), extraFlags, rcode));
        Wire.put16(out, 4, 1);
        Wire.put16(out, 6, 0);
        Wire.put16(out, 8, 0);
        Wire.put16(out, 10, query.edns() ? 1 : 0);
        if (query.edns()) {
            writeOpt(out, query.questionEnd(), rcode >>> 4, options);
        }
        return out;
    }

    /** An OPT record at {@code offset}: root owner, our payload size, version 0, no DO bit, then the options. */
    private static void writeOpt(byte[] out, int offset, int extendedRcode, byte[] options) {
        out[offset] = 0;
        Wire.put16(out, offset + 1, Wire.TYPE_OPT);
        Wire.put16(out, offset + 3, Wire.EDNS_PAYLOAD);
        out[offset + 5] = (byte) extendedRcode;
        out[offset + 6] = 0;
        Wire.put16(out, offset + 7, 0);
        Wire.put16(out, offset + 9, options.length);
        System.arraycopy(options, 0, out, offset + Wire.OPT_LENGTH, options.length);
    }

    /** One Extended DNS Error option: code, length, info code, UTF-8 text. */
    private static byte[] ede(int infoCode, String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(utf8.length, MAX_EDE_TEXT);
        byte[] option = new byte[6 + length];
        Wire.put16(option, 0, Wire.OPTION_EDE);
        Wire.put16(option, 2, 2 + length);
        Wire.put16(option, 4, infoCode);
        System.arraycopy(utf8, 0, option, 6, length);
        return option;
    }
}
