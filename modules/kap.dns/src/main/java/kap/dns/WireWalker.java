package kap.dns;

/**
 * Finds where each resource record's TTL sits in a message that dnsjava wrote, so cached answers can be served by
 * copying bytes and counting TTLs down instead of encoding a message per query.
 */
final class WireWalker {

    private WireWalker() {
    }

    /**
     * Where the records of a message are.
     *
     * @param questionEnd offset after the (single) question
     * @param ttlOffsets offset of each record's TTL, in wire order (answer, authority, additional)
     * @param types each record's type, in the same order
     */
    record Layout(int questionEnd, int[] ttlOffsets, int[] types) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Layout o && questionEnd == o.questionEnd
                    && java.util.Arrays.equals(ttlOffsets, o.ttlOffsets) && java.util.Arrays.equals(types, o.types);
        }

        @Override
        public int hashCode() {
            return questionEnd * 31 + java.util.Arrays.hashCode(ttlOffsets);
        }

        @Override
        public String toString() {
            return "Layout[questionEnd=" + questionEnd + ", ttlOffsets=" + java.util.Arrays.toString(ttlOffsets)
                    + "]";
        }
    }

    /**
     * Walks a well-formed message with one question.
     *
     * @param wire the message
     * @return the layout
     * @throws IllegalArgumentException if the message is not well formed
     */
    static Layout walk(byte[] wire) {
        if (wire.length < QueryParser.HEADER || Wire.u16(wire, 4) != 1) {
            throw new IllegalArgumentException("expected a message with one question");
        }
        int records = Wire.u16(wire, 6) + Wire.u16(wire, 8) + Wire.u16(wire, 10);
        int pos = skipName(wire, QueryParser.HEADER) + 4;
        int questionEnd = pos;
        int[] ttls = new int[records];
        int[] types = new int[records];
        for (int i = 0; i < records; i++) {
            pos = skipName(wire, pos);
            check(wire, pos + 10);
            types[i] = Wire.u16(wire, pos);
            ttls[i] = pos + 4;
            pos += 10 + Wire.u16(wire, pos + 8);
        }
        check(wire, pos);
        return new Layout(questionEnd, ttls, types);
    }

    private static int skipName(byte[] wire, int start) {
        int pos = start;
        while (true) {
            check(wire, pos + 1);
            int len = wire[pos] & 0xff;
            if ((len & 0xc0) == 0xc0) {
                return pos + 2;
            }
            if (len == 0) {
                return pos + 1;
            }
            pos += len + 1;
        }
    }

    private static void check(byte[] wire, int needed) {
        if (needed > wire.length) {
            throw new IllegalArgumentException("message ends inside a record");
        }
    }
}
