package kap.egress.internal;

/**
 * Finds the end of a message head in a buffer while it arrives, and refuses bytes no valid head contains as soon as
 * they appear: a NUL, a CR not followed by LF, an LF not preceded by CR. Scanning resumes where it stopped, so a head
 * dribbled in one byte at a time costs linear time.
 */
final class HeadScanner {

    private HeadScanner() {
    }

    /**
     * Scans {@code buf[from, to)}, where {@code buf[start, from)} was scanned before.
     *
     * @param buf the buffer
     * @param start where the head starts
     * @param from first byte not yet scanned
     * @param to end of the bytes read
     * @return the index just past the empty line ending the head, or -1 if it has not arrived yet
     * @throws EgressException {@code MALFORMED} on NUL, bare CR or bare LF
     */
    static int endOfHead(byte[] buf, int start, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            if (b == 0) {
                throw EgressException.malformed("NUL byte in head");
            }
            if (i > start && buf[i - 1] == '\r' && b != '\n') {
                throw EgressException.malformed("bare CR in head");
            }
            if (b == '\n') {
                if (i == start || buf[i - 1] != '\r') {
                    throw EgressException.malformed("bare LF in head");
                }
                if (i - start >= 3 && buf[i - 2] == '\n' && buf[i - 3] == '\r') {
                    return i + 1;
                }
            }
        }
        return -1;
    }
}
