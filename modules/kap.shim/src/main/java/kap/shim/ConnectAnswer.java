package kap.shim;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The proxy's answer to {@code CONNECT}: the status line, the headers, and the bytes read past them (an SSH server
 * speaks first, so its banner can arrive in the same read as the answer).
 *
 * @param statusLine the first line
 * @param contentLength the {@code Content-Length}, or -1
 * @param early bytes after the blank line, already read
 */
record ConnectAnswer(String statusLine, long contentLength, byte[] early) {

    /** Longest answer head accepted. */
    static final int MAX_HEAD_BYTES = 16 * 1024;
    /** Most of a refusal's body shown to the user. */
    static final int MAX_BODY_BYTES = 4096;

    /**
     * Reads the answer head.
     *
     * @param in the proxy connection
     * @return the answer
     * @throws IOException if the proxy closes early or the head is too long
     */
    static ConnectAnswer read(InputStream in) throws IOException {
        byte[] buffer = new byte[MAX_HEAD_BYTES];
        int filled = 0;
        while (true) {
            int end = endOfHead(buffer, filled);
            if (end >= 0) {
                return parse(new String(buffer, 0, end, StandardCharsets.ISO_8859_1),
                        Arrays.copyOfRange(buffer, end + 4, filled));
            }
            if (filled == buffer.length) {
                throw new IOException("the proxy's answer is longer than " + MAX_HEAD_BYTES + " bytes");
            }
            int n = in.read(buffer, filled, buffer.length - filled);
            if (n < 0) {
                throw new IOException("the proxy closed the connection without answering");
            }
            filled += n;
        }
    }

    static ConnectAnswer parse(String head, byte[] early) {
        String[] lines = head.split("\r\n");
        long length = -1;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                try {
                    length = Long.parseLong(lines[i].substring(colon + 1).trim());
                } catch (NumberFormatException e) {
                    length = -1;
                }
            }
        }
        return new ConnectAnswer(lines[0], length, early);
    }

    /**
     * Whether the tunnel is open: status 200.
     *
     * @return {@code true} on 200
     */
    boolean established() {
        String[] parts = statusLine.split(" ");
        return parts.length >= 2 && parts[0].startsWith("HTTP/1.") && parts[1].equals("200");
    }

    /**
     * The refusal's body, up to {@link #MAX_BODY_BYTES}: kap's egress explains denials there.
     *
     * @param in the proxy connection, after the head
     * @return the text, possibly empty
     */
    String body(InputStream in) {
        long want = contentLength < 0 ? MAX_BODY_BYTES : Math.min(contentLength, MAX_BODY_BYTES);
        byte[] body = Arrays.copyOf(early, (int) Math.max(want, early.length));
        int filled = Math.min(early.length, (int) want);
        try {
            while (filled < want) {
                int n = in.read(body, filled, (int) want - filled);
                if (n < 0) {
                    break;
                }
                filled += n;
            }
        } catch (SocketTimeoutException e) {
            // show what arrived
        } catch (IOException e) {
            // show what arrived
        }
        return new String(body, 0, filled, StandardCharsets.UTF_8);
    }

    private static int endOfHead(byte[] b, int filled) {
        for (int i = 0; i + 3 < filled; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
