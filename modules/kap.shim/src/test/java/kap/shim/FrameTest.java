package kap.shim;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Frames: each type's limit is checked from the header before any payload is read, a clean end between frames is
 * not an error, and an end inside one is.
 */
class FrameTest {

    record Header(String name, byte[] bytes, Class<? extends Exception> error, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Header> headers() {
        return Stream.of(
                new Header("a head over MAX_HEAD_BYTES", header('H', Wire.MAX_HEAD_BYTES + 1),
                        OversizedFrameException.class, "(MAX_HEAD_BYTES)"),
                new Header("a 4 GB length", header('H', 0xffffffffL), OversizedFrameException.class, "4294967295"),
                new Header("stdin over MAX_CHUNK_BYTES", header('I', Wire.MAX_CHUNK_BYTES + 1),
                        OversizedFrameException.class, "(MAX_CHUNK_BYTES)"),
                new Header("stdin-close with a payload", header('Z', 1), OversizedFrameException.class, "fixed size"),
                new Header("an exit of 5 bytes", header('X', 5), OversizedFrameException.class, "fixed size"),
                new Header("an unknown type", header('P', 0), WireException.class, "unknown frame type 0x50"),
                new Header("a header cut short", new byte[] {'H', 0, 0}, WireException.class, "inside a frame"),
                new Header("a payload cut short", header('I', 10), WireException.class, "inside a frame"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("headers")
    void refusesBadFramesFromTheHeader(Header c) {
        Exception e = assertThrows(c.error(), () -> new FrameReader(new ByteArrayInputStream(c.bytes())).next());
        assertThat(e.getMessage(), containsString(c.message()));
    }

    @Test
    void framesRoundTripAndACleanEndIsNull() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(out);
        writer.write(Wire.STDOUT, "hello".getBytes());
        writer.signal(Wire.STDIN_CLOSE);
        writer.exit(130);
        FrameReader reader = new FrameReader(new ByteArrayInputStream(out.toByteArray()));
        Frame first = reader.next();
        assertThat(first.type(), is(Wire.STDOUT));
        assertThat(new String(first.payload()), is("hello"));
        assertThat(reader.next().type(), is(Wire.STDIN_CLOSE));
        assertThat(FrameWriter.exitCode(reader.next().payload()), is(130));
        assertThat(reader.next(), is(nullValue()));
    }

    @Test
    void theWriterRefusesAnOversizedChunk() {
        FrameWriter writer = new FrameWriter(new ByteArrayOutputStream());
        assertThrows(OversizedFrameException.class,
                () -> writer.write(Wire.STDOUT, new byte[Wire.MAX_CHUNK_BYTES + 1]));
    }

    @Test
    void aDirectGrantRoundTripsAndRefusesBadNames() throws Exception {
        DirectGrant grant = new DirectGrant(Map.of("GH_TOKEN", "ghp_x=y"));
        assertThat(DirectGrant.decode(grant.encode()), is(grant));
        byte[] bad = new DirectGrant(Map.of("A=B", "v")).encode();
        WireException e = assertThrows(WireException.class, () -> DirectGrant.decode(bad));
        assertThat(e.getMessage(), containsString("contains '='"));
    }

    static byte[] header(char type, long length) {
        return new byte[] {(byte) type, (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8),
                (byte) length};
    }
}
