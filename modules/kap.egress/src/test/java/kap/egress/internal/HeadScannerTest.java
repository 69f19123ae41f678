package kap.egress.internal;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Finding the end of a head while it arrives, and refusing impossible bytes at once. */
class HeadScannerTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void findsEndAfterEmptyLine() {
        byte[] b = bytes("GET x HTTP/1.1\r\nA: b\r\n\r\nbody");
        assertThat(HeadScanner.endOfHead(b, 0, 0, b.length), is(b.length - 4));
    }

    @Test
    void findsEndWhenHeadArrivesOneByteAtATime() {
        byte[] b = bytes("GET x HTTP/1.1\r\nA: b\r\n\r\n");
        int end = -1;
        for (int to = 1; to <= b.length && end < 0; to++) {
            end = HeadScanner.endOfHead(b, 0, to - 1, to);
        }
        assertThat(end, is(b.length));
    }

    @Test
    void incompleteHeadIsNotAnError() {
        byte[] b = bytes("GET x HTTP/1.1\r\nA: b\r");
        assertThat(HeadScanner.endOfHead(b, 0, 0, b.length), is(-1));
    }

    @Test
    void bareCrIsCaughtEvenWhenItsFollowerArrivesLater() {
        byte[] b = bytes("GET x HTTP/1.1\rX");
        assertThat(HeadScanner.endOfHead(b, 0, 0, b.length - 1), is(-1));
        assertThrows(EgressException.class, () -> HeadScanner.endOfHead(b, 0, b.length - 1, b.length));
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET x HTTP/1.1\n\n", "GET x\0 HTTP/1.1\r\n\r\n", "GET x HTTP/1.1\r\nA: b\n\r\n",
        "\nGET x HTTP/1.1\r\n\r\n", "GET x HTTP/1.1\r\r\n\r\n"})
    void impossibleBytesAreRefused(String head) {
        byte[] b = bytes(head);
        assertThrows(EgressException.class, () -> HeadScanner.endOfHead(b, 0, 0, b.length));
    }

    @Test
    void scanningRespectsTheStartOffset() {
        byte[] b = bytes("junk\r\nGET x HTTP/1.1\r\n\r\n");
        assertThat(HeadScanner.endOfHead(b, 6, 6, b.length), is(b.length));
    }
}
