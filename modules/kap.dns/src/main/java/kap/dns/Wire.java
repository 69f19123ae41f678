package kap.dns;

/**
 * DNS wire constants (RFC 1035 §4.1.1, RFC 6891, RFC 8914) and big-endian helpers, shared by the parser, the reply
 * builder and the cache.
 */
final class Wire {

    /** Header flag: this is a response. */
    static final int QR = 0x8000;
    /** Header flag: authoritative answer. */
    static final int AA = 0x0400;
    /** Header flag: truncated. */
    static final int TC = 0x0200;
    /** Header flag: recursion desired. */
    static final int RD = 0x0100;
    /** Header flag: recursion available. */
    static final int RA = 0x0080;
    /** Header flag: checking disabled. */
    static final int CD = 0x0010;

    /** RCODE NOERROR. */
    static final int NOERROR = 0;
    /** RCODE FORMERR. */
    static final int FORMERR = 1;
    /** RCODE SERVFAIL. */
    static final int SERVFAIL = 2;
    /** RCODE NXDOMAIN. */
    static final int NXDOMAIN = 3;
    /** RCODE NOTIMP. */
    static final int NOTIMP = 4;
    /** RCODE REFUSED. */
    static final int REFUSED = 5;
    /** Extended RCODE BADVERS (16): upper bits 1 in the OPT record, 0 in the header. */
    static final int BADVERS = 16;

    /** Largest UDP reply to a client without EDNS (RFC 1035). */
    static final int PLAIN_UDP = 512;
    /** The EDNS payload size kap advertises and the largest UDP reply it sends (DNS flag day 2020). */
    static final int EDNS_PAYLOAD = 1232;
    /** RR type OPT. */
    static final int TYPE_OPT = 41;
    /** EDNS option code of an Extended DNS Error (RFC 8914). */
    static final int OPTION_EDE = 15;
    /** Bytes of an OPT record with no options. */
    static final int OPT_LENGTH = 11;

    private Wire() {
    }

    static int u16(byte[] b, int offset) {
        return ((b[offset] & 0xff) << 8) | (b[offset + 1] & 0xff);
    }

    static long u32(byte[] b, int offset) {
        return ((long) u16(b, offset) << 16) | u16(b, offset + 2);
    }

    static void put16(byte[] b, int offset, int value) {
        b[offset] = (byte) (value >>> 8);
        b[offset + 1] = (byte) value;
    }

    static void put32(byte[] b, int offset, long value) {
        put16(b, offset, (int) (value >>> 16));
        put16(b, offset + 2, (int) value);
    }

    /**
     * The flags word of a reply: QR and RA set, the query's opcode, RD and CD copied, and the low four bits of the
     * RCODE.
     *
     * @param queryFlags the client's flags word
     * @param extraFlags flags to add, such as {@link #AA} or {@link #TC}
     * @param rcode reply code; only its low four bits go in the header
     * @return flags word
     */
    static int replyFlags(int queryFlags, int extraFlags, int rcode) {
        return QR | (queryFlags & 0x7800) | (queryFlags & (RD | CD)) | RA | extraFlags | (rcode & 0xf);
    }
}
