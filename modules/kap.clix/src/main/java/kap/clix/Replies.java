package kap.clix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import kap.shim.FrameWriter;
import kap.shim.Wire;

/**
 * The one place where refusals become frames: the message on the shim's standard error, then the exit code.
 */
final class Replies {

    private Replies() {
    }

    /**
     * Sends a refusal.
     *
     * @param writer the connection
     * @param message the text, one or more lines without the {@code kap: } prefix
     * @param exitCode the shim's exit code
     * @throws IOException if the shim is gone
     */
    static void refuse(FrameWriter writer, String message, int exitCode) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String line : message.split("\n")) {
            text.append("kap: ").append(line).append('\n');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        for (int at = 0; at < bytes.length; at += Wire.MAX_CHUNK_BYTES) {
            writer.write(Wire.STDERR, bytes, at, Math.min(Wire.MAX_CHUNK_BYTES, bytes.length - at));
        }
        writer.exit(exitCode);
    }

    static void refuse(FrameWriter writer, ClixException e) throws IOException {
        refuse(writer, e.getMessage(), e.exitCode());
    }
}
