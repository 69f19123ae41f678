package kap.egress.internal;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Body framing: strict for requests (smuggling), faithful-or-refused for responses. */
class FramingTest {

    private static Framing request(String headers) {
        return Framing.ofRequest(HttpParser.parseRequest(("POST http://a.test/ HTTP/1.1\r\n" + headers + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static Framing response(String statusAndHeaders, String method) {
        return Framing.ofResponse(HttpParser.parseResponse(("HTTP/1.1 " + statusAndHeaders + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1)), method);
    }

    @Nested
    class Requests {
        @Test
        void noFramingHeadersMeansNoBody() {
            assertThat(request(""), instanceOf(Framing.None.class));
        }

        @Test
        void zeroLengthMeansNoBody() {
            assertThat(request("Content-Length: 0\r\n"), instanceOf(Framing.None.class));
        }

        @Test
        void lengthWithLeadingZerosIsStillDigits() {
            assertThat(request("Content-Length: 007\r\n"), is(new Framing.Length(7)));
        }

        @Test
        void chunkedIsCaseInsensitive() {
            assertThat(request("transfer-encoding: Chunked\r\n"), instanceOf(Framing.Chunked.class));
        }

        @Test
        void bothHeadersAreRefusedWhateverTheOrder() {
            assertThrows(EgressException.class, () -> request("Content-Length: 1\r\nTransfer-Encoding: chunked\r\n"));
            assertThrows(EgressException.class, () -> request("Transfer-Encoding: chunked\r\nContent-Length: 1\r\n"));
        }

        @Test
        void identicalDuplicateLengthsAreStillRefused() {
            assertThrows(EgressException.class, () -> request("Content-Length: 1\r\nContent-Length: 1\r\n"));
        }
    }

    @Nested
    class Responses {
        @Test
        void headAnd204And304HaveNoBody() {
            assertThat(response("200 OK\r\nContent-Length: 10\r\n", "HEAD"), instanceOf(Framing.None.class));
            assertThat(response("204 No Content\r\n", "GET"), instanceOf(Framing.None.class));
            assertThat(response("304 Not Modified\r\nContent-Length: 10\r\n", "GET"), instanceOf(Framing.None.class));
        }

        @Test
        void noFramingMeansUntilClose() {
            assertThat(response("200 OK\r\n", "GET"), instanceOf(Framing.UntilClose.class));
        }

        @Test
        void transferCodingsOtherThanChunkedAreRefused() {
            assertThrows(EgressException.class, () -> response("200 OK\r\nTransfer-Encoding: gzip, chunked\r\n", "GET"));
        }
    }

    @Test
    void parseLengthRejectsEverythingButDigits() {
        assertThat(Framing.parseLength("123"), is(Optional.of(123L)));
        assertThat(Framing.parseLength("999999999999999999"), is(Optional.of(999_999_999_999_999_999L)));
        for (String bad : new String[] {"", " 1", "1 ", "+1", "-1", "1,1", "0x1", "1e3", "9999999999999999999"}) {
            assertThat(bad, Framing.parseLength(bad), is(Optional.empty()));
        }
    }
}
