package kap.egress.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import kap.policy.Decision;
import kap.policy.HostPort;

/**
 * Answers that end a request without forwarding it: the audit event first (so it is on disk when the client reads
 * the answer), then the response from {@link Responses}.
 */
final class Sessions {

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
    }
}
