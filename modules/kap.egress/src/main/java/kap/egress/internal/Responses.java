package kap.egress.internal;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import kap.policy.Classification;
import kap.policy.Decision;
import kap.policy.HostPort;

/**
 * Every response the proxy writes itself, in one place: refusals (400, 405, 408, 429, 431, 505), upstream failures
 * (502, 504), policy denials (403) and the CONNECT 200. Bodies are short text/plain; nothing from an upstream error
 * or the proxy's internals reaches the client.
 */
final class Responses {

    /** Seconds a client is told to wait after a 429. */
    static final int RETRY_AFTER_SECONDS = 1;

    private static final byte[] CONNECTED = "HTTP/1.1 200 Connection established\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    private Responses() {
    }

    /** The answer to a successful CONNECT; the tunnel starts right after it. */
    static byte[] connected() {
        return CONNECTED.clone();
    }

    /**
     * The answer to a refused request or a failed upstream.
     *
     * @param e what went wrong
     * @param target the target, if the request named one
     * @param close whether the connection closes after this response
     * @return the response bytes
     */
    static byte[] refusal(EgressException e, Optional<HostPort> target, boolean close) {
        EgressException.Kind kind = e.kind();
        StringBuilder headers = new StringBuilder();
        String body;
        if (kind.auditReason() != null) {
            Decision deny = Decision.denyByDefault(kind.auditReason());
            headers.append("X-Kap-Decision: ").append(DenyMessage.header(target.orElse(null), deny, Optional.empty()))
                    .append("\r\n");
            body = "kap refused the request: " + e.safeMessage() + "\n";
        } else {
            body = "kap could not reach " + target.map(HostPort::authority).orElse("the upstream") + ": "
                    + e.safeMessage() + "\n";
        }
        if (kind == EgressException.Kind.TOO_MANY) {
            headers.append("Retry-After: ").append(RETRY_AFTER_SECONDS).append("\r\n");
        }
        return build(kind.status(), kind.phrase(), headers, body, close);
    }

    /**
     * The 403 for a policy denial.
     *
     * @param method request method
     * @param target the target
     * @param decision the deny
     * @param refused for an address-layer deny, the address refused
     * @param close whether the connection closes after this response
     * @return the response bytes
     */
    static byte[] forbidden(String method, HostPort target, Decision decision, Optional<Classification> refused,
                            boolean close) {
        StringBuilder headers = new StringBuilder("X-Kap-Decision: ")
                .append(DenyMessage.header(target, decision, refused)).append("\r\n");
        return build(403, DenyMessage.reasonPhrase(target, decision, refused), headers,
                DenyMessage.body(method, target, decision, refused), close);
    }

    private static byte[] build(int status, String phrase, CharSequence headers, String body, boolean close) {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + phrase + "\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + content.length + "\r\n"
                + headers
                + (close ? "Connection: close\r\n" : "")
                + "\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[headBytes.length + content.length];
        System.arraycopy(headBytes, 0, out, 0, headBytes.length);
        System.arraycopy(content, 0, out, headBytes.length, content.length);
        return out;
    }
}
