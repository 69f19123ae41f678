package kap.egress.internal;

import java.util.Optional;

/**
 * How a message body is delimited (RFC 9112 §6). The request rules are strict on purpose: any head a server could
 * read as a different body length than the proxy does is refused, since that difference is request smuggling.
 */
sealed interface Framing {

    /** Longest Content-Length accepted, in digits; 18 digits always fit in a long. */
    int MAX_LENGTH_DIGITS = 18;

    /** No body. */
    record None() implements Framing {
    }

    /**
     * Exactly this many bytes.
     *
     * @param length bytes, positive
     */
    record Length(long length) implements Framing {
    }

    /** Chunked transfer coding. */
    record Chunked() implements Framing {
    }

    /** Until the sender closes (responses only). */
    record UntilClose() implements Framing {
    }

    /**
     * The framing of a request.
     *
     * @param head the request
     * @return its framing
     * @throws EgressException {@code MALFORMED} for duplicate or invalid Content-Length, Content-Length with
     *         Transfer-Encoding, any transfer coding other than a single {@code chunked}, or chunked in HTTP/1.0
     */
    static Framing ofRequest(RequestHead head) {
        Headers h = head.headers();
        int te = h.count("transfer-encoding");
        int cl = h.count("content-length");
        if (te > 0 && cl > 0) {
            throw EgressException.malformed("Content-Length and Transfer-Encoding together are ambiguous");
        }
        if (te > 1) {
            throw EgressException.malformed("more than one Transfer-Encoding header");
        }
        if (cl > 1) {
            throw EgressException.malformed("duplicate Content-Length header");
        }
        if (te == 1) {
            if (!head.isHttp11()) {
                throw EgressException.malformed("Transfer-Encoding in an HTTP/1.0 request");
            }
            if (!"chunked".equalsIgnoreCase(h.first("transfer-encoding").orElseThrow())) {
                throw EgressException.malformed("only Transfer-Encoding: chunked is accepted");
            }
            return new Chunked();
        }
        if (cl == 1) {
            long length = parseLength(h.first("content-length").orElseThrow())
                    .orElseThrow(() -> EgressException.malformed("invalid Content-Length"));
            return length == 0 ? new None() : new Length(length);
        }
        return new None();
    }

    /**
     * The framing of a response.
     *
     * @param head the response
     * @param requestMethod the request's method (a response to HEAD has no body)
     * @return its framing
     * @throws EgressException {@code MALFORMED} for framing the proxy cannot pass on faithfully; the caller answers 502
     */
    static Framing ofResponse(ResponseHead head, String requestMethod) {
        int status = head.status();
        if ("HEAD".equals(requestMethod) || head.isInterim() || status == 204 || status == 304) {
            return new None();
        }
        Headers h = head.headers();
        int te = h.count("transfer-encoding");
        int cl = h.count("content-length");
        if (te > 0 && cl > 0 || te > 1 || cl > 1) {
            throw EgressException.malformed("ambiguous response framing");
        }
        if (te == 1) {
            if (!"chunked".equalsIgnoreCase(h.first("transfer-encoding").orElseThrow())) {
                throw EgressException.malformed("unsupported response transfer coding");
            }
            return new Chunked();
        }
        if (cl == 1) {
            long length = parseLength(h.first("content-length").orElseThrow())
                    .orElseThrow(() -> EgressException.malformed("invalid response Content-Length"));
            return length == 0 ? new None() : new Length(length);
        }
        return new UntilClose();
    }

    /** 1*DIGIT, at most {@link #MAX_LENGTH_DIGITS}; no sign, no space, no list. */
    static Optional<Long> parseLength(String text) {
        if (text.isEmpty() || text.length() > MAX_LENGTH_DIGITS) {
            return Optional.empty();
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return Optional.empty();
            }
            value = value * 10 + (c - '0');
        }
        return Optional.of(value);
    }
}
