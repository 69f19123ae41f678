package kap.mcp.internal;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Client sessions. Each client that initializes through kap gets its own upstream session, and kap gives the client
 * its own random session id for it: the capsule never sees the upstream's id, and a session is bound to the server it
 * was made for. At most {@link #maxPerServer} per server; sessions idle longer than {@link #idle} are forgotten.
 * Thread-safe.
 */
final class Sessions {

    /** Longest session id header accepted. */
    static final int MAX_ID_LENGTH = 128;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Session> byId = new ConcurrentHashMap<>();
    private final int maxPerServer;
    private final Duration idle;

    Sessions(int maxPerServer, Duration idle) {
        this.maxPerServer = maxPerServer;
        this.idle = idle;
    }

    /** One client session. */
    static final class Session {
        final String id;
        final String server;
        final String upstreamId;
        volatile String protocolVersion;
        volatile long lastUsed = System.nanoTime();

        Session(String id, String server, String upstreamId, String protocolVersion) {
            this.id = id;
            this.server = server;
            this.upstreamId = upstreamId;
            this.protocolVersion = protocolVersion;
        }
    }

    /**
     * Creates a session for a new upstream session.
     *
     * @throws ProxyException (too many) if the server already has {@link #maxPerServer} live sessions
     */
    Session create(String server, String upstreamId, String protocolVersion) {
        expire();
        long count = byId.values().stream().filter(s -> s.server.equals(server)).count();
        if (count >= maxPerServer) {
            throw new ProxyException(ProxyException.Kind.TOO_MANY, "kap refused a new session: MCP server \""
                    + server + "\" already has " + maxPerServer + " open sessions (limit exceeded); close one"
                    + " (DELETE) or wait for idle ones to expire");
        }
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        Session s = new Session(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), server, upstreamId,
                protocolVersion);
        byId.put(s.id, s);
        return s;
    }

    /**
     * The session of that id for that server.
     *
     * @throws ProxyException (unknown session) if there is none, it expired, or it belongs to another server
     */
    Session find(String id, String server) {
        Session s = id == null || id.length() > MAX_ID_LENGTH ? null : byId.get(id);
        if (s == null || !s.server.equals(server) || expired(s)) {
            if (s != null && expired(s)) {
                byId.remove(s.id);
            }
            throw new ProxyException(ProxyException.Kind.UNKNOWN_SESSION, "kap does not know this MCP session for"
                    + " server \"" + server + "\" (ended, expired, or never created); start a new one with"
                    + " initialize");
        }
        s.lastUsed = System.nanoTime();
        return s;
    }

    void remove(Session s) {
        byId.remove(s.id);
    }

    int count(String server) {
        return (int) byId.values().stream().filter(s -> s.server.equals(server)).count();
    }

    int size() {
        return byId.size();
    }

    private void expire() {
        byId.values().removeIf(this::expired);
    }

    private boolean expired(Session s) {
        return System.nanoTime() - s.lastUsed > idle.toNanos();
    }
}
