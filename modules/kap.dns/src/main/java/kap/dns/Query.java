package kap.dns;

/**
 * One parsed client query: exactly one question, opcode QUERY, at most one OPT record.
 *
 * @param packet the message as received; the question is echoed from it byte for byte, so the client's letter case
 *         comes back as sent
 * @param id the client's message ID
 * @param flags the client's 16-bit flags word
 * @param name the question name in presentation form, without the trailing dot, as dnsjava escapes it
 * @param type QTYPE
 * @param dclass QCLASS
 * @param questionEnd offset just after the question (name, type and class), which starts at offset 12
 * @param ednsPayload the client's EDNS UDP payload size, or -1 without EDNS
 * @param ednsVersion the client's EDNS version, or -1 without EDNS
 */
record Query(byte[] packet, int id, int flags, String name, int type, int dclass, int questionEnd, int ednsPayload,
             int ednsVersion) {

    /** Where the question starts: right after the 12-byte header. */
    static final int QUESTION_START = 12;

    /**
     * Whether the client sent an OPT record.
     *
     * @return {@code true} with EDNS
     */
    boolean edns() {
        return ednsPayload >= 0;
    }

    /**
     * Length of the question in wire form.
     *
     * @return bytes
     */
    int questionLength() {
        return questionEnd - QUESTION_START;
    }

    /** Two queries are equal when their bytes are: every other field is read from them. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Query o && java.util.Arrays.equals(packet, o.packet);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(packet);
    }
}
