package kap.egress.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the server name (SNI) from a TLS ClientHello (RFC 8446 §4.1.2, RFC 6066 §3). The message may arrive split
 * across any number of reads and TLS records; {@link #examine} says how many more bytes it needs until the whole
 * message is there. Anything a server could read differently is malformed: a record of another type before the
 * message ends, lengths that do not add up, a duplicate extension, two host names.
 */
final class ClientHello {

    /** TLS record header: type, version, length. */
    static final int RECORD_HEADER = 5;
    /** Largest plaintext record fragment (RFC 8446 §5.1). */
    static final int MAX_FRAGMENT = 1 << 14;
    /** Content type of handshake records. */
    static final int HANDSHAKE = 22;

    private static final int CLIENT_HELLO = 1;
    private static final int SERVER_NAME = 0;
    private static final int HOST_NAME = 0;

    private ClientHello() {
    }

    /** What the bytes so far say. */
    sealed interface Result {
    }

    /**
     * The message is not complete yet.
     *
     * @param atLeast total bytes needed before it can be, at least
     */
    record NeedMore(int atLeast) implements Result {
    }

    /**
     * The whole ClientHello is here.
     *
     * @param serverName the host_name, or empty if the client sent none
     */
    record Complete(Optional<String> serverName) implements Result {
    }

    /**
     * Not a ClientHello a server would accept.
     *
     * @param why what is wrong
     */
    record Malformed(String why) implements Result {
    }

    /**
     * Examines the first bytes a client sent in a tunnel; {@code bytes[0]} must be the handshake content type.
     *
     * @param bytes buffer
     * @param length bytes in it
     * @return the verdict on the bytes so far
     */
    static Result examine(byte[] bytes, int length) {
        ByteArrayOutputStream message = new ByteArrayOutputStream(512);
        int offset = 0;
        while (offset + RECORD_HEADER <= length) {
            if ((bytes[offset] & 0xff) != HANDSHAKE) {
                return new Malformed("a non-handshake record before the ClientHello ended");
            }
            int fragment = u16(bytes, offset + 3);
            if (fragment == 0 || fragment > MAX_FRAGMENT) {
                return new Malformed("TLS record length out of range");
            }
            int recordEnd = offset + RECORD_HEADER + fragment;
            if (recordEnd > length) {
                return new NeedMore(recordEnd);
            }
            message.write(bytes, offset + RECORD_HEADER, fragment);
            offset = recordEnd;
            byte[] m = message.toByteArray();
            if (m.length >= 4) {
                if (m[0] != CLIENT_HELLO) {
                    return new Malformed("first handshake message is not a ClientHello");
                }
                int total = 4 + u24(m, 1);
                if (m.length > total) {
                    return new Malformed("bytes after the ClientHello in its record");
                }
                if (m.length == total) {
                    return parseBody(m);
                }
            }
        }
        return new NeedMore(offset + RECORD_HEADER);
    }

    /** Declared size of the handshake message, once its header is in the first record; else -1. */
    static int declaredMessageLength(byte[] bytes, int length) {
        return length >= RECORD_HEADER + 4 ? 4 + u24(bytes, RECORD_HEADER + 1) : -1;
    }

    private static Result parseBody(byte[] m) {
        Reader r = new Reader(m, 4);
        if (!r.skip(2 + 32) || !r.skipVector(1, 0, 32) || !r.skipVector(2, 2, 0xfffe) || !r.skipVector(1, 1, 255)) {
            return new Malformed("truncated ClientHello");
        }
        if (r.remaining() == 0) {
            return new Complete(Optional.empty());
        }
        if (r.remaining() < 2) {
            return new Malformed("truncated extensions");
        }
        int extensionsLength = r.u16();
        if (extensionsLength != r.remaining()) {
            return new Malformed("extension lengths do not add up");
        }
        Set<Integer> seen = new HashSet<>();
        Optional<String> name = Optional.empty();
        while (r.remaining() > 0) {
            if (r.remaining() < 4) {
                return new Malformed("truncated extension");
            }
            int type = r.u16();
            int len = r.u16();
            if (len > r.remaining() || !seen.add(type)) {
                return new Malformed(len > r.remaining() ? "truncated extension" : "duplicate extension " + type);
            }
            if (type == SERVER_NAME) {
                Result sni = serverName(new Reader(m, r.at, r.at + len));
                if (sni instanceof Malformed) {
                    return sni;
                }
                name = ((Complete) sni).serverName();
            }
            r.skip(len);
        }
        return new Complete(name);
    }

    private static Result serverName(Reader r) {
        if (r.remaining() < 2 || r.u16() != r.remaining() || r.remaining() == 0) {
            return new Malformed("invalid server_name extension");
        }
        Optional<String> name = Optional.empty();
        while (r.remaining() > 0) {
            if (r.remaining() < 3) {
                return new Malformed("truncated server name");
            }
            int type = r.u8();
            int len = r.u16();
            if (len == 0 || len > r.remaining()) {
                return new Malformed("invalid server name length");
            }
            if (type == HOST_NAME) {
                if (name.isPresent()) {
                    return new Malformed("more than one host_name in server_name");
                }
                for (int i = r.at; i < r.at + len; i++) {
                    if (r.bytes[i] <= 0x20 || r.bytes[i] >= 0x7f) {
                        return new Malformed("server name is not a printable ASCII host name");
                    }
                }
                name = Optional.of(new String(r.bytes, r.at, len, StandardCharsets.US_ASCII));
            }
            r.skip(len);
        }
        return new Complete(name);
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    private static int u24(byte[] b, int at) {
        return ((b[at] & 0xff) << 16) | ((b[at + 1] & 0xff) << 8) | (b[at + 2] & 0xff);
    }

    /** A bounds-checked cursor over {@code bytes[at, end)}. */
    private static final class Reader {
        private final byte[] bytes;
        private final int end;
        private int at;

        Reader(byte[] bytes, int at) {
            this(bytes, at, bytes.length);
        }

        Reader(byte[] bytes, int at, int end) {
            this.bytes = bytes;
            this.at = at;
            this.end = end;
        }

        int remaining() {
            return end - at;
        }

        boolean skip(int n) {
            if (n > remaining()) {
                return false;
            }
            at += n;
            return true;
        }

        int u8() {
            return bytes[at++] & 0xff;
        }

        int u16() {
            int v = ClientHello.u16(bytes, at);
            at += 2;
            return v;
        }

        /** Skips a vector with a length prefix of {@code prefix} bytes and a length in [min, max]. */
        boolean skipVector(int prefix, int min, int max) {
            if (remaining() < prefix) {
                return false;
            }
            int len = prefix == 1 ? u8() : u16();
            return len >= min && len <= max && skip(len);
        }
    }
}
