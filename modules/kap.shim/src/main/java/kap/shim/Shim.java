package kap.shim;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The client behind every tool shim. The shim script written by the sidecar runs
 * {@code java -m kap.shim/kap.shim.Shim tty=<flags> "$0" "$@"}; this sends the tool name, the arguments and the
 * working directory to the sidecar named by {@code KAP_CLIX}, streams standard input up and standard output and
 * error down, and exits with the tool's exit code. Denials arrive as text on standard error with exit code
 * {@link Wire#EXIT_DENIED}.
 *
 * <p>The connection goes straight to the sidecar: a plain socket with {@link java.net.Proxy#NO_PROXY}, never through
 * {@code HTTP_PROXY}.
 */
public final class Shim {

    private Shim() {
    }

    /**
     * Runs the shim and exits with the tool's exit code.
     *
     * @param argv {@code tty=<flags>}, the shim's path, then the tool's arguments
     */
    public static void main(String[] argv) {
        OutputStream err = new FileOutputStream(FileDescriptor.err);
        Invocation invocation;
        try {
            invocation = Invocation.parse(argv);
        } catch (IllegalArgumentException e) {
            say(err, "kap: " + e.getMessage());
            System.exit(Wire.EXIT_KAP_ERROR);
            return;
        }
        ShimCall call = new ShimCall(invocation, System.getenv(), System.getProperty("user.dir"),
                new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out), err);
        Runtime.getRuntime().addShutdownHook(new Thread(call.interruptHook(), "kap-shim-exit"));
        int code = call.run();
        call.finish();
        if (call.interrupted()) {
            // a signal started the shutdown: let it finish, so the shim exits as the signal says (130 for Ctrl-C)
            System.exit(code);
        }
        // the output streams are unbuffered, so there is nothing left to flush: skip the shutdown sequence
        Runtime.getRuntime().halt(code);
    }

    static void say(OutputStream err, String line) {
        try {
            err.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            err.flush();
        } catch (IOException e) {
            // nowhere left to report
        }
    }
}
