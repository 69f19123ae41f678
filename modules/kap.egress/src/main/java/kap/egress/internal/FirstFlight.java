package kap.egress.internal;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.Optional;

import kap.policy.HostPort;
import kap.policy.Reasons;

/**
 * Judges the first bytes a client sends into a tunnel, before any of them reach the upstream.
 *
 * <ul>
 *     <li>A TLS handshake: the whole ClientHello is read, across reads and records, up to a size limit and within the
 *     handshake deadline (counted from its first byte). Its SNI must name the CONNECT host; a ClientHello with no SNI
 *     passes, one that cannot be read is refused.</li>
 *     <li>A cleartext HTTP request line: refused. Each request in such a tunnel could name another Host on a shared
 *     front end, and only the proxy's own HTTP forwarding judges every request.</li>
 *     <li>Anything else (SSH, a database protocol...): passes. Server-speaks-first protocols need no special case:
 *     the upstream-to-client direction runs from the start.</li>
 * </ul>
 */
final class FirstFlight {

    /** First read size: small, because an idle tunnel waits here; a ClientHello needs a read or two more. */
    private static final int INITIAL_BUFFER = 512;

    private FirstFlight() {
    }

    /** The verdict on the first flight. */
    sealed interface Verdict {
    }

    /**
     * Forward these bytes and relay the rest.
     *
     * @param bytes buffer
     * @param length bytes to forward
     * @param serverName the SNI, if a ClientHello carried one
     */
    record Pass(byte[] bytes, int length, Optional<String> serverName) implements Verdict {
    }

    /**
     * Close the tunnel without forwarding a byte.
     *
     * @param reason a {@link Reasons} string
     * @param detail what was seen
     * @param serverName the SNI, if one was read
     */
    record Refuse(String reason, String detail, Optional<String> serverName) implements Verdict {
    }

    /** The client closed before sending anything. */
    record Closed() implements Verdict {
    }

    /**
     * Reads and judges the client's first flight.
     *
     * @param client the client connection
     * @param pipelined bytes the client sent right behind the CONNECT head
     * @param target the CONNECT target
     * @param maxBytes limit on the bytes read to judge
     * @param handshakeMillis deadline from the first byte
     * @return the verdict
     * @throws IOException if the client connection fails
     */
    static Verdict inspect(Conn client, byte[] pipelined, HostPort target, int maxBytes, long handshakeMillis)
            throws IOException {
        Flight f = new Flight(client, Arrays.copyOf(pipelined, Math.max(INITIAL_BUFFER, pipelined.length)),
                pipelined.length, maxBytes);
        if (f.length == 0 && f.readMore(0) < 0) {
            return new Closed();
        }
        f.deadline = System.nanoTime() + handshakeMillis * 1_000_000L;
        try {
            if ((f.bytes[0] & 0xff) == ClientHello.HANDSHAKE) {
                return tls(f, target, maxBytes);
            }
            return cleartext(f, maxBytes);
        } catch (SocketTimeoutException e) {
            return new Refuse(Reasons.UNJUDGEABLE, "first flight not complete within " + handshakeMillis + " ms",
                    Optional.empty());
        }
    }

    private static Verdict tls(Flight f, HostPort target, int maxBytes) throws IOException {
        while (true) {
            switch (ClientHello.examine(f.bytes, f.length)) {
                case ClientHello.Complete c -> {
                    return judgeName(f, target, c.serverName());
                }
                case ClientHello.Malformed m -> {
                    return new Refuse(Reasons.UNJUDGEABLE, "unreadable TLS ClientHello: " + m.why(), Optional.empty());
                }
                case ClientHello.NeedMore more -> {
                    int declared = ClientHello.declaredMessageLength(f.bytes, f.length);
                    if (more.atLeast() > maxBytes || declared > maxBytes) {
                        return new Refuse(Reasons.UNJUDGEABLE, "TLS ClientHello larger than " + maxBytes + " bytes",
                                Optional.empty());
                    }
                    if (f.readMore(Math.max(more.atLeast(), declared + ClientHello.RECORD_HEADER)) < 0) {
                        return new Closed();
                    }
                }
            }
        }
    }

    private static Verdict judgeName(Flight f, HostPort target, Optional<String> serverName) {
        if (serverName.isEmpty()) {
            return new Pass(f.bytes, f.length, serverName);
        }
        String sni = serverName.get();
        boolean same;
        try {
            same = !target.isIpLiteral() && HostPort.normalizeName(sni).equals(target.host());
        } catch (IllegalArgumentException e) {
            same = false;
        }
        if (!same) {
            return new Refuse(Reasons.SNI_MISMATCH, "TLS SNI names " + sni + " but CONNECT named " + target.host(),
                    serverName);
        }
        return new Pass(f.bytes, f.length, serverName);
    }

    private static Verdict cleartext(Flight f, int maxBytes) throws IOException {
        while (true) {
            switch (HttpRequestLine.recognise(f.bytes, f.length)) {
                case NOT_HTTP -> {
                    return new Pass(f.bytes, f.length, Optional.empty());
                }
                case HTTP -> {
                    return new Refuse(Reasons.UNJUDGEABLE, "cleartext HTTP inside a CONNECT tunnel; send http:// "
                            + "requests to the proxy in absolute form so each one is judged", Optional.empty());
                }
                case MAYBE -> {
                    if (f.length >= maxBytes) {
                        return new Refuse(Reasons.UNJUDGEABLE, "first line longer than " + maxBytes + " bytes",
                                Optional.empty());
                    }
                    if (f.readMore(f.length + 1) < 0) {
                        return new Pass(f.bytes, f.length, Optional.empty());
                    }
                }
            }
        }
    }

    /** The bytes read so far and how to read more. */
    private static final class Flight {
        private final Conn client;
        private final int maxBytes;
        private byte[] bytes;
        private int length;
        private long deadline;

        Flight(Conn client, byte[] bytes, int length, int maxBytes) {
            this.client = client;
            this.bytes = bytes;
            this.length = length;
            this.maxBytes = maxBytes;
        }

        /** Reads until at least {@code atLeast} bytes are buffered (or one read, if fewer). Returns -1 at EOF. */
        int readMore(int atLeast) throws IOException {
            if (atLeast > bytes.length || length == bytes.length) {
                int grown = Math.min(Math.max(atLeast, bytes.length * 2), maxBytes);
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length, grown));
            }
            int timeout = 0;
            if (deadline != 0) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new SocketTimeoutException();
                }
                timeout = (int) Math.min(left, Integer.MAX_VALUE);
            }
            int n = client.read(bytes, length, bytes.length - length, timeout);
            if (n > 0) {
                length += n;
            }
            return n;
        }
    }
}
