package kap.mcp.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Server-sent events, as the WHATWG spec frames them: lines end in CR, LF or CRLF; {@code data:} lines join with LF;
 * {@code id:}, {@code event:} and {@code retry:} are kept; comments are dropped; a blank line ends an event. Every
 * event is bounded by {@link #MAX_EVENT_BYTES}, past which the stream is refused (fail closed: a giant event could
 * hide a tool list kap never judged).
 */
final class Sse {

    /** Bytes one event may hold. */
    static final int MAX_EVENT_BYTES = 8 * 1024 * 1024;

    private Sse() {
    }

    /**
     * One event.
     *
     * @param id the {@code id:} field (kept so clients can resume), or {@code null}
     * @param event the {@code event:} type, or {@code null} for the default {@code message}
     * @param data the joined {@code data:} lines, or {@code null} if there were none
     * @param retry the {@code retry:} field, or {@code null}
     */
    record Event(String id, String event, String data, String retry) {
    }

    /** Reads events from a stream. Not thread-safe. */
    static final class Reader {
        private final InputStream in;
        private final byte[] buf = new byte[16 * 1024];
        private int pos;
        private int len;
        private boolean lastWasCr;

        Reader(InputStream in) {
            this.in = in;
        }

        /**
         * The next event, or {@code null} at the end of the stream (an unterminated last event is dropped, as the
         * spec says).
         *
         * @throws IOException if reading fails or an event is too large
         */
        Event next() throws IOException {
            String id = null;
            String type = null;
            String retry = null;
            StringBuilder data = null;
            int size = 0;
            while (true) {
                String line = line();
                if (line == null) {
                    return null;
                }
                if (line.isEmpty()) {
                    if (data != null || id != null || retry != null) {
                        return new Event(id, type, data == null ? null : data.toString(), retry);
                    }
                    continue;
                }
                size += line.length() + 1;
                if (size > MAX_EVENT_BYTES) {
                    throw new IOException("SSE event larger than " + MAX_EVENT_BYTES + " bytes");
                }
                if (line.charAt(0) == ':') {
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + (line.startsWith(": ", colon) ? 2 : 1));
                switch (field) {
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    case "id" -> id = value.indexOf('\0') >= 0 ? id : value;
                    case "event" -> type = value;
                    case "retry" -> retry = value.chars().allMatch(Character::isDigit) ? value : retry;
                    default -> {
                        // unknown fields are ignored, as the spec says
                    }
                }
            }
        }

        private String line() throws IOException {
            ByteArrayOutputStream out = null;
            while (true) {
                if (pos == len) {
                    len = in.read(buf);
                    pos = 0;
                    if (len <= 0) {
                        len = 0;
                        return null;
                    }
                }
                int start = pos;
                while (pos < len) {
                    byte b = buf[pos];
                    if (b == '\n' && lastWasCr && pos == start && out == null) {
                        // the LF of a CRLF split across reads or lines
                        lastWasCr = false;
                        start = ++pos;
                        continue;
                    }
                    if (b == '\n' || b == '\r') {
                        lastWasCr = b == '\r';
                        String line = text(out, start, pos);
                        pos++;
                        if (lastWasCr && pos < len && buf[pos] == '\n') {
                            pos++;
                            lastWasCr = false;
                        }
                        return line;
                    }
                    pos++;
                }
                lastWasCr = false;
                out = out == null ? new ByteArrayOutputStream() : out;
                if (out.size() + (pos - start) > MAX_EVENT_BYTES) {
                    throw new IOException("SSE line longer than " + MAX_EVENT_BYTES + " bytes");
                }
                out.write(buf, start, pos - start);
            }
        }

        private String text(ByteArrayOutputStream out, int start, int end) {
            if (out == null) {
                return new String(buf, start, end - start, StandardCharsets.UTF_8);
            }
            out.write(buf, start, end - start);
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /** Writes one event and flushes, so the client sees it now. */
    static void write(OutputStream out, Event e) throws IOException {
        StringBuilder b = new StringBuilder(64 + (e.data() == null ? 0 : e.data().length()));
        if (e.id() != null) {
            b.append("id: ").append(e.id()).append('\n');
        }
        if (e.event() != null) {
            b.append("event: ").append(e.event()).append('\n');
        }
        if (e.retry() != null) {
            b.append("retry: ").append(e.retry()).append('\n');
        }
        if (e.data() != null) {
            for (String line : e.data().split("\n", -1)) {
                b.append("data: ").append(line).append('\n');
            }
        }
        b.append('\n');
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
