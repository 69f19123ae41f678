package kap.egress.internal;

import java.nio.charset.StandardCharsets;

/**
 * Writes an upstream response head for the client: the status, every end-to-end field, and framing the proxy chose
 * itself. Hop-by-hop fields and those the upstream's {@code Connection} names stay behind.
 */
final class ResponseHeads {

    private ResponseHeads() {
    }

    /**
     * The head the client gets.
     *
     * @param response the upstream's head
     * @param framing the body framing the proxy will write
     * @param http11 whether the client speaks HTTP/1.1 (else a chunked body is decoded and ends at close)
     * @param closeAfter whether the client connection closes after this response
     * @return head bytes
     */
    static byte[] forClient(ResponseHead response, Framing framing, boolean http11, boolean closeAfter) {
        StringBuilder out = new StringBuilder(512);
        out.append("HTTP/1.1 ").append(response.status()).append(' ').append(response.reasonPhrase()).append("\r\n");
        for (Headers.Field f : response.headers().endToEnd().fields()) {
            out.append(f.name()).append(": ").append(f.value()).append("\r\n");
        }
        switch (framing) {
            case Framing.Length length -> out.append("Content-Length: ").append(length.length()).append("\r\n");
            case Framing.Chunked chunked -> {
                if (http11) {
                    out.append("Transfer-Encoding: chunked\r\n");
                }
            }
            case Framing.None none -> response.headers().first("content-length")
                    // a HEAD or 304 answer describes the body it did not send; the value is kept as metadata
                    .filter(v -> !response.isInterim() && Framing.parseLength(v).isPresent())
                    .ifPresent(v -> out.append("Content-Length: ").append(v).append("\r\n"));
            case Framing.UntilClose untilClose -> { }
        }
        if (closeAfter && !response.isInterim()) {
            out.append("Connection: close\r\n");
        }
        return out.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
