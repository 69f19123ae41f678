package kap.egress.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Streams a message body from one side to the other without holding it whole. Chunked bodies are parsed strictly and
 * written again by the proxy (chunk extensions and trailers dropped), so what the next hop sees is exactly what the
 * proxy judged, whatever quirks the sender tried.
 */
final class BodyTransfer {

    /** Longest chunk-size line, extensions included. */
    static final int MAX_CHUNK_LINE = 4096;
    /** Most hex digits in a chunk size: 15 keeps every size well inside a long. */
    static final int MAX_CHUNK_SIZE_DIGITS = 15;
    /** Copy buffer for bodies. */
    static final int COPY_BUFFER = 16 * 1024;

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private BodyTransfer() {
    }

    /**
     * Copies a body of the given framing.
     *
     * @param keepChunked write a chunked body chunked (else decoded, for an HTTP/1.0 client that reads until close)
     * @param maxTrailerBytes limit on the trailer section of a chunked body
     * @return body bytes copied (chunk payload only)
     * @throws EgressException {@code MALFORMED} on invalid chunked syntax
     * @throws IOException if either side fails or the body ends early
     */
    static long copy(Framing framing, Input in, Conn out, boolean keepChunked, int maxTrailerBytes)
            throws IOException {
        return switch (framing) {
            case Framing.None none -> 0;
            case Framing.Length length -> copyLength(in, out, length.length(), new byte[COPY_BUFFER]);
            case Framing.Chunked chunked -> copyChunked(in, out, keepChunked, maxTrailerBytes);
            case Framing.UntilClose untilClose -> copyUntilClose(in, out);
        };
    }

    private static long copyLength(Input in, Conn out, long length, byte[] buffer) throws IOException {
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new EOFException("body ended " + left + " bytes early");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
        return length;
    }

    private static long copyUntilClose(Input in, Conn out) throws IOException {
        byte[] buffer = new byte[COPY_BUFFER];
        long total = 0;
        for (int n; (n = in.read(buffer, 0, buffer.length)) >= 0; ) {
            out.write(buffer, 0, n);
            total += n;
        }
        return total;
    }

    private static long copyChunked(Input in, Conn out, boolean keepChunked, int maxTrailerBytes) throws IOException {
        byte[] buffer = new byte[COPY_BUFFER];
        long total = 0;
        while (true) {
            long size = chunkSize(readLine(in, MAX_CHUNK_LINE));
            if (size == 0) {
                skipTrailers(in, maxTrailerBytes);
                if (keepChunked) {
                    out.write(LAST_CHUNK);
                }
                return total;
            }
            if (keepChunked) {
                out.write((Long.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            copyLength(in, out, size, buffer);
            if (in.read() != '\r' || in.read() != '\n') {
                throw EgressException.malformed("chunk data not followed by CRLF");
            }
            if (keepChunked) {
                out.write(CRLF);
            }
            total += size;
        }
    }

    /** chunk-size [ chunk-ext ]: hex digits, then nothing or ';' and extension text, which is dropped. */
    static long chunkSize(String line) {
        int end = line.indexOf(';');
        String digits = end < 0 ? line : line.substring(0, end);
        if (digits.isEmpty() || digits.length() > MAX_CHUNK_SIZE_DIGITS) {
            throw EgressException.malformed("invalid chunk size");
        }
        long size = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = Character.digit(digits.charAt(i), 16);
            if (d < 0 || digits.charAt(i) > 'f') {
                throw EgressException.malformed("invalid chunk size");
            }
            size = size * 16 + d;
        }
        return size;
    }

    private static void skipTrailers(Input in, int maxTrailerBytes) throws IOException {
        int total = 0;
        while (true) {
            String line = readLine(in, maxTrailerBytes - total);
            if (line.isEmpty()) {
                return;
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t' || line.indexOf(':') <= 0) {
                throw EgressException.malformed("invalid trailer field");
            }
            total += line.length() + 2;
        }
    }

    /** A CRLF-terminated line of printable bytes (HTAB allowed), without the CRLF. */
    static String readLine(Input in, int max) throws IOException {
        StringBuilder line = new StringBuilder(16);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("body ended inside a chunk line");
            }
            if (b == '\r') {
                if (in.read() != '\n') {
                    throw EgressException.malformed("bare CR in chunked body");
                }
                return line.toString();
            }
            if ((b < 0x20 && b != '\t') || b == 0x7f) {
                throw EgressException.malformed("control character in chunk line");
            }
            if (line.length() >= max) {
                throw EgressException.malformed("chunk line or trailer section too long");
            }
            line.append((char) b);
        }
    }
}
