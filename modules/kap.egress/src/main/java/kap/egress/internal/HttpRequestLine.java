package kap.egress.internal;

/**
 * Recognises a cleartext HTTP/1.x request line at the start of a tunnel: an upper-case method, a space, a target, a
 * space, {@code HTTP/d.d} and CRLF. Protocols that also start with a word and a space, such as SMTP's {@code EHLO},
 * are told apart by the version at the end of the line.
 */
final class HttpRequestLine {

    /** Longest method considered. */
    static final int MAX_METHOD = 20;

    private static final byte[] VERSION_PREFIX = {'H', 'T', 'T', 'P', '/'};

    private HttpRequestLine() {
    }

    /** What the bytes so far are. */
    enum Kind {
        /** Certainly not an HTTP request line. */
        NOT_HTTP,
        /** Could still become one: read more. */
        MAYBE,
        /** An HTTP request line. */
        HTTP
    }

    static Kind recognise(byte[] b, int length) {
        int i = 0;
        while (i < length && b[i] >= 'A' && b[i] <= 'Z') {
            i++;
        }
        if (i == length) {
            return i <= MAX_METHOD ? Kind.MAYBE : Kind.NOT_HTTP;
        }
        if (i == 0 || i > MAX_METHOD || b[i] != ' ') {
            return Kind.NOT_HTTP;
        }
        int targetStart = ++i;
        while (i < length && b[i] > ' ' && b[i] != 0x7f) {
            i++;
        }
        if (i == length) {
            return Kind.MAYBE;
        }
        if (i == targetStart || b[i] != ' ') {
            return Kind.NOT_HTTP;
        }
        return version(b, i + 1, length);
    }

    /** HTTP/d.d CRLF at {@code from}. */
    private static Kind version(byte[] b, int from, int length) {
        int expected = VERSION_PREFIX.length + 5;
        for (int k = 0; k < expected; k++) {
            if (from + k >= length) {
                return Kind.MAYBE;
            }
            byte c = b[from + k];
            boolean ok = switch (k) {
                case 0, 1, 2, 3, 4 -> c == VERSION_PREFIX[k];
                case 5, 7 -> c >= '0' && c <= '9';
                case 6 -> c == '.';
                case 8 -> c == '\r';
                default -> c == '\n';
            };
            if (!ok) {
                return Kind.NOT_HTTP;
            }
        }
        return Kind.HTTP;
    }
}
