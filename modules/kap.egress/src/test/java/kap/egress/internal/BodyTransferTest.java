package kap.egress.internal;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Chunked bodies are parsed strictly and written again clean; fixed-length bodies are exact. */
@Timeout(30)
class BodyTransferTest {

    @Test
    void chunkSizeIsHexWithOptionalExtension() {
        assertThat(BodyTransfer.chunkSize("1a"), is(26L));
        assertThat(BodyTransfer.chunkSize("FF;name=value"), is(255L));
        assertThat(BodyTransfer.chunkSize("0"), is(0L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " 1", "1 ", "0x1", "-1", "g", ";ext", "1000000000000000", "\u0661"})
    void invalidChunkSizesAreRefused(String line) {
        assertThrows(EgressException.class, () -> BodyTransfer.chunkSize(line));
    }

    @Test
    void chunkedBodyIsRewrittenWithoutExtensionsOrTrailers() throws Exception {
        String in = "4;a=b\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Trailer: 1\r\n\r\nNEXT";
        assertThat(transfer(in, new Framing.Chunked(), true), is("4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n"));
    }

    @Test
    void chunkedBodyCanBeDecodedForHttp10Clients() throws Exception {
        assertThat(transfer("4\r\nWiki\r\n0\r\n\r\n", new Framing.Chunked(), false), is("Wiki"));
    }

    @Test
    void fixedLengthCopiesExactlyThatMuch() throws Exception {
        assertThat(transfer("hello world", new Framing.Length(5), true), is("hello"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"4\r\nWikiXX0\r\n\r\n", "4\nWiki\r\n0\r\n\r\n", "4\r\nWiki\r\n0\r\n bad\r\n\r\n",
        "4\r\nWiki\r\n0\r\nnocolon\r\n\r\n", "4\r\u0000\nWiki\r\n0\r\n\r\n"})
    void malformedChunkedBodiesAreRefused(String body) {
        assertThrows(EgressException.class, () -> transfer(body, new Framing.Chunked(), true));
    }

    @Test
    void bodyThatEndsEarlyIsAnError() {
        assertThrows(EOFException.class, () -> transfer("hel", new Framing.Length(5), true));
    }

    private static String transfer(String body, Framing framing, boolean keepChunked) throws IOException {
        try (SocketPair source = SocketPair.open(); SocketPair sink = SocketPair.open()) {
            source.left().write(body.getBytes(StandardCharsets.ISO_8859_1));
            source.left().shutdownOutput();
            Input in = new Input(source.right());
            BodyTransfer.copy(framing, in, sink.left(), keepChunked, 1024);
            sink.left().shutdownOutput();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[1024];
            for (int n; (n = sink.right().read(buf, 0, buf.length, 5000)) >= 0; ) {
                out.write(buf, 0, n);
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
