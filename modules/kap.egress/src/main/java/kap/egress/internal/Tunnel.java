package kap.egress.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import kap.policy.Decision;
import kap.policy.HostPort;
import kap.policy.LimitsConfig;
import kap.policy.Verdict;

/**
 * A CONNECT request, from decision to close. The upstream is dialled before the client hears 200, so a failure is a
 * clear 502 or 504 rather than a tunnel that opens and dies. The first client bytes are judged by {@link FirstFlight}
 * before any reaches the upstream; the upstream's bytes flow from the start, so server-speaks-first protocols work.
 * One audit event is written when the tunnel closes, with bytes up and down, or when it is refused.
 */
final class Tunnel {

    private final Shared shared;

    Tunnel(Shared shared) {
        this.shared = shared;
    }

    /**
     * Handles the CONNECT; the client connection never carries another request afterwards.
     *
     * @param client the client
     * @param in the client's input, positioned after the CONNECT head
     * @param head the CONNECT request
     * @throws EgressException before anything was written, for the session to answer
     */
    void handle(Conn client, Input in, RequestHead head) throws IOException {
        long started = System.nanoTime();
        HostPort target = head.target().hostPort();
        if (!(Framing.ofRequest(head) instanceof Framing.None)) {
            throw EgressException.malformed("CONNECT must not carry a body");
        }
        Gate.Judgement judgement = shared.gate().judge(target);
        switch (judgement) {
            case Gate.Denied denied -> Sessions.deny(shared, client, head, target, denied, true);
            case Gate.Unresolved unresolved -> Sessions.upstreamFailed(shared, client, head, unresolved.decision(),
                    new EgressException(EgressException.Kind.BAD_GATEWAY, "the name does not resolve"), true);
            case Gate.Admitted admitted -> open(client, in, head, admitted, started);
        }
    }

    private void open(Conn client, Input in, RequestHead head, Gate.Admitted admitted, long started)
            throws IOException {
        try (Limiter.Slot slot = shared.tunnels().tryAcquire()) {
            if (slot == null) {
                throw new EgressException(EgressException.Kind.TOO_MANY, "too many open tunnels ("
                        + shared.tunnels().capacity() + "); retry shortly");
            }
            LimitsConfig limits = shared.limits();
            Dialer.Dialed dialed;
            try {
                dialed = Dialer.dial(admitted.addresses(), limits.connectTimeout());
            } catch (EgressException e) {
                Sessions.upstreamFailed(shared, client, head, admitted.decision(), e, true);
                return;
            }
            shared.counters().tunnels().increment();
            try (Conn upstream = dialed.conn()) {
                relay(client, upstream, in.drainAndRelease(), head, admitted, dialed, limits, started);
            }
        }
    }

    private void relay(Conn client, Conn upstream, byte[] pipelined, RequestHead head, Gate.Admitted admitted,
                       Dialer.Dialed dialed, LimitsConfig limits, long started) {
        HostPort target = head.target().hostPort();
        Relay relay = new Relay(client, upstream, shared.pool());
        FirstFlight.Verdict verdict = new FirstFlight.Closed();
        Watchdog.Watch watch = shared.watchdog().watch(limits.idleTimeout(), relay::abort, client, upstream);
        try {
            client.write(Responses.connected());
            Thread down = relay.startDown();
            verdict = FirstFlight.inspect(client, pipelined, target, limits.maxClientHelloBytes(),
                    limits.handshakeTimeout().toMillis());
            switch (verdict) {
                case FirstFlight.Pass pass -> relay.runUp(pass.bytes(), pass.length());
                case FirstFlight.Closed closed -> upstream.shutdownOutput();
                case FirstFlight.Refuse refuse -> relay.abort();
            }
            join(down);
        } catch (IOException e) {
            // the client went away during the first flight: recorded below as what it was
        } finally {
            watch.close();
            relay.abort();
            record(client, head, admitted, dialed, verdict, relay, started);
        }
    }

    /** The tunnel's one audit event: the allow with its byte counts, or the first-flight refusal. */
    private void record(Conn client, RequestHead head, Gate.Admitted admitted, Dialer.Dialed dialed,
                        FirstFlight.Verdict verdict, Relay relay, long started) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put(EgressAudit.METHOD, head.method());
        detail.put(EgressAudit.ADDRESS, DenyMessage.canonical(dialed.address().getAddress()));
        detail.put(EgressAudit.UNSAFE_CIDR, admitted.openedBy().orElse(null));
        Decision decision = admitted.decision();
        switch (verdict) {
            case FirstFlight.Pass pass -> detail.put(EgressAudit.SNI, pass.serverName().orElse(null));
            case FirstFlight.Refuse refuse -> {
                decision = new Decision(Verdict.DENY, refuse.reason(), Optional.empty(), false);
                detail.put(EgressAudit.SNI, refuse.serverName().orElse(null));
                detail.put(EgressAudit.ERROR, refuse.detail());
                shared.counters().denied().increment();
            }
            case FirstFlight.Closed closed -> { }
        }
        detail.put(EgressAudit.BYTES_UP, relay.bytesUp());
        detail.put(EgressAudit.BYTES_DOWN, relay.bytesDown());
        detail.put(EgressAudit.DURATION_MS, (System.nanoTime() - started) / 1_000_000);
        shared.audit().record(head.target().hostPort().authority(), decision, client.peer(), detail);
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
