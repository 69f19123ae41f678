package kap.clix;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import kap.shim.Frame;
import kap.shim.FrameReader;
import kap.shim.FrameWriter;
import kap.shim.Wire;

/**
 * A protocol client without the shim's own checks, for requests a real shim would refuse to send: a head with any
 * working directory, or a 1 MB argument.
 */
final class RawClient {

    private RawClient() {
    }

    /** What came back. */
    record Reply(String out, String err, int exit) {
    }

    /** A head payload built by hand (no limits checked). */
    static byte[] head(String tool, String cwd, List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(Wire.VERSION);
        out.write(0);
        str(out, tool);
        str(out, cwd);
        u32(out, args.size());
        args.forEach(a -> str(out, a));
        return out.toByteArray();
    }

    /** Sends one head frame (any size) and stdin-close, and reads until the exit frame. */
    static Reply send(String address, byte[] headPayload) throws IOException {
        int colon = address.lastIndexOf(':');
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon
                    + 1))), 5000);
            s.setSoTimeout(30_000);
            byte[] header = {Wire.HEAD, (byte) (headPayload.length >>> 24), (byte) (headPayload.length >>> 16),
                    (byte) (headPayload.length >>> 8), (byte) headPayload.length};
            s.getOutputStream().write(header);
            s.getOutputStream().write(headPayload);
            new FrameWriter(s.getOutputStream()).signal(Wire.STDIN_CLOSE);
            FrameReader reader = new FrameReader(s.getInputStream());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            while (true) {
                Frame f = reader.next();
                if (f == null) {
                    throw new IOException("closed without an exit frame; stderr: " + err);
                }
                switch (f.type()) {
                    case Wire.STDOUT -> out.writeBytes(f.payload());
                    case Wire.STDERR -> err.writeBytes(f.payload());
                    case Wire.EXIT -> {
                        return new Reply(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                                FrameWriter.exitCode(f.payload()));
                    }
                    default -> throw new IOException("unexpected frame " + (char) f.type());
                }
            }
        }
    }

    private static void str(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u32(out, b.length);
        out.writeBytes(b);
    }

    private static void u32(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }
}
