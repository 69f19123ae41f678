package kap.egress.internal;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import kap.policy.LimitsConfig;

/**
 * A plain HTTP request in absolute form: judged, then forwarded on a fresh upstream connection with every end-to-end
 * header, and the response streamed back. The request body streams on its own virtual thread while the response is
 * read, so {@code Expect: 100-continue} and early responses work. Upstream connections are not reused: each request
 * gets its own, so nothing decided for one request carries over to the next.
 */
final class Forwarder {

    private final Shared shared;

    Forwarder(Shared shared) {
        this.shared = shared;
    }

    /**
     * Handles one request.
     *
     * @return whether the client connection may carry another request
     * @throws EgressException before anything was written, for the session to answer
     */
    boolean handle(Conn client, Input in, RequestHead head) throws IOException {
        long started = System.nanoTime();
        RequestHead.AbsoluteTarget target = (RequestHead.AbsoluteTarget) head.target();
        Framing framing = Framing.ofRequest(head);
        boolean close = wantsClose(head);
        boolean hasBody = !(framing instanceof Framing.None);
        switch (shared.gate().judge(target.hostPort())) {
            case Gate.Denied denied -> {
                // an unread body would be taken for the next request, so a request with one ends the connection
                Sessions.deny(shared, client, head, target.hostPort(), denied, close || hasBody);
                return !(close || hasBody);
            }
            case Gate.Unresolved unresolved -> {
                Sessions.upstreamFailed(shared, client, head, unresolved.decision(),
                        new EgressException(EgressException.Kind.BAD_GATEWAY, "the name does not resolve"), true);
                return false;
            }
            case Gate.Admitted admitted -> {
                LimitsConfig limits = shared.limits();
                Dialer.Dialed dialed;
                try {
                    dialed = Dialer.dial(admitted.addresses(), limits.connectTimeout());
                } catch (EgressException e) {
                    Sessions.upstreamFailed(shared, client, head, admitted.decision(), e, true);
                    return false;
                }
                try (Conn upstream = dialed.conn()) {
                    Exchange exchange = new Exchange(client, in, upstream, head, target, framing, limits);
                    try {
                        return exchange.run() && !close;
                    } catch (IOException | RuntimeException e) {
                        exchange.error = exchange.error != null ? exchange.error : "client connection failed";
                        throw e;
                    } finally {
                        record(client, head, admitted, dialed, exchange, started);
                    }
                }
            }
        }
    }

    /** The request's one audit event, written once the response is done (or failed). */
    private void record(Conn client, RequestHead head, Gate.Admitted admitted, Dialer.Dialed dialed,
                        Exchange exchange, long started) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put(EgressAudit.METHOD, head.method());
        detail.put(EgressAudit.ADDRESS, DenyMessage.canonical(dialed.address().getAddress()));
        detail.put(EgressAudit.UNSAFE_CIDR, admitted.openedBy().orElse(null));
        detail.put(EgressAudit.STATUS, exchange.status == 0 ? null : exchange.status);
        detail.put(EgressAudit.ERROR, exchange.error);
        detail.put(EgressAudit.BYTES_UP, exchange.bytesUp.get());
        detail.put(EgressAudit.BYTES_DOWN, exchange.bytesDown);
        detail.put(EgressAudit.DURATION_MS, (System.nanoTime() - started) / 1_000_000);
        shared.counters().requests().increment();
        shared.audit().record(head.target().hostPort().authority(), admitted.decision(), client.peer(), detail);
    }

    /** HTTP/1.0 closes unless it asks for keep-alive; HTTP/1.1 closes when it says so. */
    static boolean wantsClose(RequestHead head) {
        Headers h = head.headers();
        return head.isHttp11() ? h.hasToken("connection", "close") : !h.hasToken("connection", "keep-alive");
    }

    /** The request head the upstream gets: origin-form, Host from the URI, end-to-end fields, our framing. */
    static byte[] upstreamHead(RequestHead head, RequestHead.AbsoluteTarget target, Framing framing) {
        StringBuilder out = new StringBuilder(512);
        out.append(head.method()).append(' ').append(target.pathAndQuery()).append(" HTTP/1.1\r\n");
        out.append("Host: ").append(target.hostHeader()).append("\r\n");
        for (Headers.Field f : head.headers().endToEnd().fields()) {
            out.append(f.name()).append(": ").append(f.value()).append("\r\n");
        }
        switch (framing) {
            case Framing.Length length -> out.append("Content-Length: ").append(length.length()).append("\r\n");
            case Framing.Chunked chunked -> out.append("Transfer-Encoding: chunked\r\n");
            default -> { }
        }
        out.append("Connection: close\r\n\r\n");
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** One request and its response on one upstream connection. */
    private final class Exchange {
        private final Conn client;
        private final Input in;
        private final Conn upstream;
        private final RequestHead head;
        private final RequestHead.AbsoluteTarget target;
        private final Framing framing;
        private final LimitsConfig limits;
        private final AtomicLong bytesUp = new AtomicLong();
        private final AtomicReference<Throwable> pumpFailure = new AtomicReference<>();
        private int status;
        private long bytesDown;
        private String error;
        private volatile boolean responseStarted;
        private volatile boolean idle;

        Exchange(Conn client, Input in, Conn upstream, RequestHead head, RequestHead.AbsoluteTarget target,
                 Framing framing, LimitsConfig limits) {
            this.client = client;
            this.in = in;
            this.upstream = upstream;
            this.head = head;
            this.target = target;
            this.framing = framing;
            this.limits = limits;
        }

        /** Runs the exchange; returns whether the client connection is still in a clean state for reuse. */
        boolean run() throws IOException {
            // before the response starts the client can still get a 504, so only the upstream is closed
            Runnable abort = () -> {
                idle = true;
                upstream.close();
                if (responseStarted) {
                    client.close();
                }
            };
            Watchdog.Watch watch = shared.watchdog().watch(limits.idleTimeout(), abort, client, upstream);
            try {
                upstream.write(upstreamHead(head, target, framing));
                Thread pump = framing instanceof Framing.None ? null : Thread.ofVirtual().name("kap-egress-body")
                        .start(this::pumpBody);
                boolean clean = new ResponseRelay(this).relay();
                if (pump != null) {
                    if (pump.isAlive()) {
                        // the upstream answered before taking the whole body: the rest cannot be skipped safely,
                        // so the pump stops reading (end of input) and the connection ends after this response
                        upstream.close();
                        client.shutdownInput();
                        clean = false;
                    }
                    pump.join();
                    clean &= pumpFailure.get() == null;
                }
                return clean;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } finally {
                watch.close();
            }
        }

        private void pumpBody() {
            try {
                bytesUp.set(BodyTransfer.copy(framing, in, upstream, true, limits.maxHeaderBytes()));
            } catch (IOException | RuntimeException e) {
                pumpFailure.set(e);
                upstream.close();
            }
        }
    }

    /** Reads the upstream's response (after any interim ones) and streams it to the client. */
    private record ResponseRelay(Exchange x) {
        boolean relay() throws IOException {
            Input upIn = new Input(x.upstream);
            boolean http11 = x.head.isHttp11();
            ResponseHead response;
            try {
                response = readFinalResponse(upIn, http11);
            } catch (EgressException e) {
                return fail(e);
            } catch (SocketTimeoutException e) {
                return fail(new EgressException(EgressException.Kind.GATEWAY_TIMEOUT, "upstream did not answer within "
                        + x.limits.idleTimeout().toMillis() + " ms"));
            } catch (IOException e) {
                return fail(x.idle ? new EgressException(EgressException.Kind.GATEWAY_TIMEOUT, "upstream did not "
                        + "answer within " + x.limits.idleTimeout().toMillis() + " ms")
                        : new EgressException(EgressException.Kind.BAD_GATEWAY,
                        "upstream closed the connection without a complete response"));
            }
            x.status = response.status();
            Framing framing;
            try {
                framing = Framing.ofResponse(response, x.head.method());
            } catch (EgressException e) {
                return fail(new EgressException(EgressException.Kind.BAD_GATEWAY, e.safeMessage()));
            }
            boolean closeAfter = framing instanceof Framing.UntilClose
                    || (framing instanceof Framing.Chunked && !http11) || wantsClose(x.head);
            x.responseStarted = true;
            x.client.write(ResponseHeads.forClient(response, framing, http11, closeAfter));
            try {
                x.bytesDown = BodyTransfer.copy(framing, upIn, x.client, http11, x.limits.maxHeaderBytes());
            } catch (IOException | EgressException e) {
                x.error = "response body cut short";
                x.client.close();
                return false;
            }
            return !closeAfter;
        }

        private ResponseHead readFinalResponse(Input upIn, boolean http11) throws IOException {
            int idle = (int) Math.min(x.limits.idleTimeout().toMillis(), Integer.MAX_VALUE);
            while (true) {
                byte[] raw = upIn.readHead(x.limits.maxHeaderBytes(), idle, idle);
                if (raw == null) {
                    throw new EOFException("no response");
                }
                ResponseHead response = HttpParser.parseResponse(raw);
                if (!response.isInterim()) {
                    return response;
                }
                if (response.status() == 101) {
                    throw EgressException.malformed("upstream switched protocols without an Upgrade request");
                }
                if (http11) {
                    x.client.write(ResponseHeads.forClient(response, new Framing.None(), true, false));
                }
            }
        }

        private boolean fail(EgressException e) throws IOException {
            EgressException mapped = switch (e.kind()) {
                case BAD_GATEWAY, GATEWAY_TIMEOUT -> e;
                case HEAD_TIMEOUT -> new EgressException(EgressException.Kind.GATEWAY_TIMEOUT,
                        "upstream did not send its response head in time");
                default -> new EgressException(EgressException.Kind.BAD_GATEWAY, "upstream sent an invalid response: "
                        + e.safeMessage());
            };
            x.status = mapped.kind().status();
            x.error = mapped.safeMessage();
            x.client.write(Responses.refusal(mapped, Optional.of(x.target.hostPort()), true));
            return false;
        }
    }
}
