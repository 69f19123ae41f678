package kap.runtime.namespace;

import java.nio.file.Path;

/**
 * The bridge's entry point, started by {@code kap run} inside the new namespaces as
 * {@code java -Xrs ... -m kap.runtime.namespace/kap.runtime.namespace.BridgeMain <control-socket>}. Not for people:
 * it does nothing useful outside a capsule. {@code -Xrs} leaves SIGINT, SIGTERM, SIGHUP and SIGQUIT at their default
 * disposition, which the kernel ignores for a PID 1: Ctrl-C at the terminal reaches the command, never the bridge.
 */
public final class BridgeMain {

    private BridgeMain() {
    }

    /**
     * Runs the bridge and exits with the command's exit code.
     *
     * @param args the control socket's path
     */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("kap: the bridge runs inside a capsule started by `kap run`");
            System.exit(Bridge.SETUP_FAILED);
        }
        int code = Bridge.run(Path.of(args[0]));
        if (Libc.recordingAotCache()) {
            // the image build trains the bridge's cache, which the JVM writes on a normal exit only
            System.exit(code);
        }
        System.out.flush();
        System.err.flush();
        Libc.exit(code);
    }
}
