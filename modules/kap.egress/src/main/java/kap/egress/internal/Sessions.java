package kap.egress.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import kap.policy.Decision;
import kap.policy.HostPort;

/**
 * Answers that end a request without forwarding it: the audit event first (so it is on disk when the client reads
 * the answer), then the response from {@link Responses}, then, if the connection ends, a short linger.
 */
final class Sessions {

    /** How long a refused client may keep sending before the connection is closed (so it can read the answer). */
    static final int LINGER_MILLIS = 500;
    /** How much a refused client may send in that time. */
    static final int LINGER_BYTES = 256 * 1024;

    private Sessions() {
    }

    /** A policy denial: 403 with the message for the agent. */
    static void deny(Shared shared, Conn client, RequestHead head, HostPort target, Gate.Denied denied, boolean close)
            throws IOException {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put(EgressAudit.METHOD, head.method());
        denied.refused().ifPresent(c -> {
            detail.put(EgressAudit.ADDRESS, DenyMessage.canonical(c.address()));
            detail.put(EgressAudit.ADDRESS_CLASS, c.addressClass().name());
        });
        detail.put(EgressAudit.STATUS, 403);
        shared.counters().denied().increment();
        shared.audit().record(target.authority(), denied.decision(), client.peer(), detail);
        client.write(Responses.forbidden(head.method(), target, denied.decision(), denied.refused(), close));
        if (close) {
            linger(client);
        }
    }

    /** The policy allowed the request but the upstream failed: 502 or 504. */
    static void upstreamFailed(Shared shared, Conn client, RequestHead head, Decision allowed, EgressException e,
                               boolean close) throws IOException {
        HostPort target = head.target().hostPort();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put(EgressAudit.METHOD, head.method());
        detail.put(EgressAudit.STATUS, e.kind().status());
        detail.put(EgressAudit.ERROR, e.safeMessage());
        shared.audit().record(target.authority(), allowed, client.peer(), detail);
        client.write(Responses.refusal(e, Optional.of(target), close));
        if (close) {
            linger(client);
        }
    }

    /**
     * A refusal before any decision on the target: malformed input, a limit, TRACE. Always closes the connection,
     * since after such input the proxy cannot trust where the next request starts.
     */
    static void refuse(Shared shared, Conn client, Optional<RequestHead> head, EgressException e) throws IOException {
        Optional<HostPort> target = head.map(h -> h.target().hostPort());
        if (e.kind().auditReason() == null) {
            throw new IllegalArgumentException("not a refusal: " + e.kind());
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put(EgressAudit.METHOD, head.map(RequestHead::method).orElse(null));
        detail.put(EgressAudit.STATUS, e.kind().status());
        detail.put(EgressAudit.ERROR, e.safeMessage());
        shared.counters().denied().increment();
        shared.audit().record(target.map(HostPort::authority).orElse("-"),
                Decision.denyByDefault(e.kind().auditReason()), client.peer(), detail);
        client.write(Responses.refusal(e, target, true));
        linger(client);
    }

    /**
     * Half-closes and reads what the client still sends for a moment. Closing with unread bytes makes the kernel
     * reset the connection, and the client may then never see the answer it is owed.
     */
    static void linger(Conn client) {
        client.shutdownOutput();
        byte[] sink = new byte[8192];
        long deadline = System.nanoTime() + LINGER_MILLIS * 1_000_000L;
        int total = 0;
        try {
            while (total < LINGER_BYTES) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return;
                }
                int n = client.read(sink, 0, sink.length, (int) left);
                if (n < 0) {
                    return;
                }
                total += n;
            }
        } catch (IOException e) {
            // timed out or reset: done either way
        }
    }
}
