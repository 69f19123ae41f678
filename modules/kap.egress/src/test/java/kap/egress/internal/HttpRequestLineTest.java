package kap.egress.internal;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Telling a cleartext HTTP request line from other protocols at the start of a tunnel. */
class HttpRequestLineTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "GET / HTTP/1.1\\r\\n|HTTP",
        "POST http://x/ HTTP/1.0\\r\\n|HTTP",
        "GET|MAYBE",
        "GET /path|MAYBE",
        "GET /path HTTP/1.|MAYBE",
        "GET /path HTTP/1.1\\r|MAYBE",
        "SSH-2.0-OpenSSH_9.6\\r\\n|NOT_HTTP",
        "EHLO mail.example\\r\\n|NOT_HTTP",
        "get / HTTP/1.1\\r\\n|NOT_HTTP",
        "GET / HTTP/1.1 \\r\\n|NOT_HTTP",
        "GET / SIP/2.0\\r\\n|NOT_HTTP",
        "GET  / HTTP/1.1\\r\\n|NOT_HTTP",
        "ABCDEFGHIJKLMNOPQRSTU / HTTP/1.1\\r\\n|NOT_HTTP",
    })
    void recognises(String text, HttpRequestLine.Kind kind) {
        byte[] b = text.replace("\\r", "\r").replace("\\n", "\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(HttpRequestLine.recognise(b, b.length), is(kind));
    }
}
