package kap.egress.internal;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Optional;

import kap.policy.LimitsConfig;

/**
 * One client connection: reads request heads one after another and hands each to {@link Tunnel} or
 * {@link Forwarder}. Every request is judged on its own, however many share the connection. Bad input ends the
 * connection with a clear refusal and an audit event; nothing a client sends can end the listener.
 */
final class ClientSession {

    private static final System.Logger LOG = System.getLogger("kap.egress");

    private final Shared shared;
    private final Tunnel tunnel;
    private final Forwarder forwarder;

    ClientSession(Shared shared) {
        this.shared = shared;
        this.tunnel = new Tunnel(shared);
        this.forwarder = new Forwarder(shared);
    }

    /** Serves the connection until it closes; never throws. */
    void serve(Conn client) {
        Input in = new Input(client);
        try {
            boolean first = true;
            while (serveOne(client, in, first)) {
                first = false;
            }
        } catch (IOException e) {
            // the client went away or reset; nothing to answer
        } catch (RuntimeException e) {
            shared.counters().internalErrors().increment();
            LOG.log(System.Logger.Level.ERROR, "[egress] internal error serving " + client.peer() + ": " + e);
        }
    }

    private boolean serveOne(Conn client, Input in, boolean first) throws IOException {
        LimitsConfig limits = shared.limits();
        long headMillis = limits.headerTimeout().toMillis();
        byte[] raw;
        RequestHead request;
        try {
            raw = in.readHead(limits.maxHeaderBytes(), first ? headMillis : limits.idleTimeout().toMillis(),
                    headMillis);
            if (raw == null) {
                return false;
            }
            request = HttpParser.parseRequest(raw);
        } catch (SocketTimeoutException e) {
            if (first) {
                refuse(client, Optional.empty(), new EgressException(EgressException.Kind.HEAD_TIMEOUT,
                        "no request head within " + headMillis + " ms"));
            }
            return false;
        } catch (EgressException e) {
            refuse(client, Optional.empty(), e);
            return false;
        }
        try {
            if ("TRACE".equals(request.method())) {
                throw new EgressException(EgressException.Kind.METHOD_NOT_ALLOWED,
                        "TRACE is refused: it would echo the request, credentials included");
            }
            if (request.isConnect()) {
                tunnel.handle(client, in, request);
                return false;
            }
            return forwarder.handle(client, in, request);
        } catch (EgressException e) {
            refuse(client, Optional.of(request), e);
            return false;
        }
    }

    private void refuse(Conn client, Optional<RequestHead> request, EgressException e) throws IOException {
        if (e.kind().auditReason() == null) {
            client.write(Responses.refusal(e, request.map(r -> r.target().hostPort()), true));
            Sessions.linger(client);
        } else {
            Sessions.refuse(shared, client, request, e);
        }
    }
}
