package kap.mcp.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * SSE framing as the WHATWG spec defines it, with the size limit.
 */
class SseReaderTest {

    private List<Sse.Event> read(InputStream in) throws IOException {
        Sse.Reader r = new Sse.Reader(in);
        List<Sse.Event> out = new ArrayList<>();
        Sse.Event e;
        while ((e = r.next()) != null) {
            out.add(e);
        }
        return out;
    }

    private List<Sse.Event> read(String text) throws IOException {
        return read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsEveryLineEndingAndJoinsDataLines() throws IOException {
        List<Sse.Event> events = read("id: 7\r\nevent: message\r\ndata: {\"a\":\ndata: 1}\r\n\r\n: comment\r"
                + "data:x\r\rdata: y\n\n");
        assertThat(events.size(), is(3));
        assertThat(events.get(0).id(), is("7"));
        assertThat(events.get(0).data(), is("{\"a\":\n1}"));
        assertThat(events.get(1).data(), is("x"));
        assertThat(events.get(2).data(), is("y"));
    }

    @Test
    void readsEventsSplitAcrossReadsOfOneByte() throws IOException {
        byte[] bytes = "id: 1\r\ndata: hello\r\n\r\ndata: world\r\n\r\n".getBytes(StandardCharsets.UTF_8);
        InputStream slow = new InputStream() {
            int i;

            @Override
            public int read() {
                return i < bytes.length ? bytes[i++] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int c = read();
                if (c < 0) {
                    return -1;
                }
                b[off] = (byte) c;
                return 1;
            }
        };
        List<Sse.Event> events = read(slow);
        assertThat(events.size(), is(2));
        assertThat(events.get(0).data(), is("hello"));
        assertThat(events.get(1).data(), is("world"));
    }

    @Test
    void dropsAnUnterminatedLastEvent() throws IOException {
        assertThat(read("data: a\n\ndata: b").size(), is(1));
    }

    @Test
    void refusesAnEventOverTheLimit() {
        String huge = "data: " + "x".repeat(Sse.MAX_EVENT_BYTES + 10) + "\n\n";
        assertThrows(IOException.class, () -> read(huge));
    }
}
