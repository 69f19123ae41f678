package kap.shim;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An SSH {@code ProxyCommand} that reaches {@code host:port} through the egress proxy's {@code CONNECT}, so
 * {@code git clone git@github.com:...} works when the policy allows {@code github.com:22}:
 * <pre>
 * Host *
 *     ProxyCommand /opt/kap/runtime/bin/java -m kap.shim/kap.shim.ConnectBridge %h %p
 * </pre>
 * After the proxy answers 200, bytes flow both ways unchanged: whatever the server sent with the proxy's answer
 * (SSH servers speak first) is written out first; the end of standard input half-closes the tunnel, and the bridge
 * exits when the server closes its side. A refusal prints the proxy's status and explanation on standard error.
 */
public final class ConnectBridge {

    /** Exit code when the tunnel could not be opened. */
    public static final int EXIT_FAILED = 1;

    private ConnectBridge() {
    }

    /**
     * Opens the tunnel and relays until the server closes it.
     *
     * @param argv host and port
     */
    public static void main(String[] argv) {
        OutputStream err = new FileOutputStream(FileDescriptor.err);
        int code = run(argv, System.getenv(), new FileInputStream(FileDescriptor.in),
                new FileOutputStream(FileDescriptor.out), err);
        System.exit(code);
    }

    static int run(String[] argv, Map<String, String> env, InputStream in, OutputStream out, OutputStream err) {
        ConnectRequest request;
        ProxyTarget proxy;
        try {
            request = ConnectRequest.of(argv);
            proxy = ProxyTarget.from(env);
        } catch (IllegalArgumentException e) {
            Shim.say(err, "kap connect: " + e.getMessage());
            return EXIT_FAILED;
        }
        Socket socket = new Socket(Proxy.NO_PROXY);
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(proxy.host(), proxy.port()), ConnectRequest.CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(ConnectRequest.ANSWER_TIMEOUT_MILLIS);
            socket.getOutputStream().write(request.bytes(proxy.authorization()));
            socket.getOutputStream().flush();
            ConnectAnswer answer = ConnectAnswer.read(socket.getInputStream());
            if (!answer.established()) {
                Shim.say(err, "kap connect: the egress proxy refused CONNECT " + request.authority() + ": "
                        + answer.statusLine());
                socket.setSoTimeout(ConnectRequest.BODY_TIMEOUT_MILLIS);
                String explanation = answer.body(socket.getInputStream());
                if (!explanation.isBlank()) {
                    Shim.say(err, explanation.strip());
                }
                return EXIT_FAILED;
            }
            socket.setSoTimeout(0);
            out.write(answer.early());
            out.flush();
            Thread up = new Thread(new Upstream(in, socket), "kap-connect-up");
            up.setDaemon(true);
            up.start();
            relay(socket.getInputStream(), out);
            return 0;
        } catch (IOException e) {
            Shim.say(err, "kap connect: tunnel to " + request.authority() + " through " + proxy.host() + ":"
                    + proxy.port() + " failed: " + e.getMessage());
            return EXIT_FAILED;
        } finally {
            try {
                socket.close();
            } catch (IOException e) {
                // exiting anyway
            }
        }
    }

    /** Socket to stdout, unbuffered: SSH waits for every byte, so nothing may sit in a buffer. */
    private static void relay(InputStream from, OutputStream to) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        int n;
        while ((n = from.read(buffer)) >= 0) {
            to.write(buffer, 0, n);
            to.flush();
        }
    }

    /** Stdin to the socket; at the end of stdin, half-close so the server sees EOF but can still answer. */
    private static final class Upstream implements Runnable {
        private final InputStream in;
        private final Socket socket;

        Upstream(InputStream in, Socket socket) {
            this.in = in;
            this.socket = socket;
        }

        @Override
        public void run() {
            try {
                OutputStream to = socket.getOutputStream();
                byte[] buffer = new byte[16 * 1024];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    to.write(buffer, 0, n);
                    to.flush();
                }
                socket.shutdownOutput();
            } catch (IOException e) {
                // the tunnel is closing; the downstream relay ends the bridge
            }
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
