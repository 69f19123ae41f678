package kap.clix;

import java.io.IOException;

import kap.shim.FrameWriter;

/**
 * How a tool's run ended.
 *
 * @param exitCode the code the shim exits with
 * @param stop why it was stopped, or {@link Execution.Stop#NONE}
 * @param bytesOut stdout bytes the tool wrote
 * @param bytesErr stderr bytes the tool wrote
 * @param redactions secret values replaced
 * @param message what kap tells the shim about the stop, or {@code null}
 */
record RunResult(int exitCode, Execution.Stop stop, long bytesOut, long bytesErr, long redactions, String message) {

    /**
     * Sends the message, if any, and the exit frame; nothing when the shim is gone.
     *
     * @param writer the connection
     * @throws IOException if the shim is gone after all
     */
    void reply(FrameWriter writer) throws IOException {
        if (stop == Execution.Stop.DISCONNECTED) {
            return;
        }
        if (message == null) {
            writer.exit(exitCode);
        } else {
            Replies.refuse(writer, message, exitCode);
        }
    }
}
