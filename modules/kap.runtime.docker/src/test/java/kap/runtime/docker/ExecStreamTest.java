package kap.runtime.docker;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Docker's multiplexed exec stream: frames go to stdout or stderr by their type; a truncated or oversized frame is an
 * error, not a hang or an allocation the engine chose.
 */
class ExecStreamTest {

    private static byte[] frame(int type, String payload) {
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        byte[] f = new byte[8 + p.length];
        f[0] = (byte) type;
        f[4] = (byte) (p.length >>> 24);
        f[5] = (byte) (p.length >>> 16);
        f[6] = (byte) (p.length >>> 8);
        f[7] = (byte) p.length;
        System.arraycopy(p, 0, f, 8, p.length);
        return f;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void sendsEachFrameToItsStream() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ExecStream.demux(new ByteArrayInputStream(concat(frame(1, "out1 "), frame(2, "err1"), frame(1, "out2"),
                frame(1, ""))), out, err);
        assertThat(out.toString(StandardCharsets.UTF_8), equalTo("out1 out2"));
        assertThat(err.toString(StandardCharsets.UTF_8), equalTo("err1"));
    }

    @Test
    void aTruncatedHeaderIsAnError() {
        byte[] partial = {1, 0, 0, 0, 0};
        assertThrows(EOFException.class, () -> ExecStream.demux(new ByteArrayInputStream(partial),
                new ByteArrayOutputStream(), new ByteArrayOutputStream()));
    }

    @Test
    void anOversizedFrameIsRefused() {
        byte[] huge = {1, 0, 0, 0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        IOException e = assertThrows(IOException.class, () -> ExecStream.demux(new ByteArrayInputStream(huge),
                new ByteArrayOutputStream(), new ByteArrayOutputStream()));
        assertThat(e.getMessage(), containsString("over the limit"));
    }
}
