package kap.shim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.util.Map;

/**
 * One shim run: connect, send the head, pump standard input, and copy frames to the shim's output until the exit
 * frame. Closing the connection early (the JVM exiting on Ctrl-C, or stdout gone) is how the shim tells the sidecar
 * to stop the tool.
 */
final class ShimCall {

    /** Time to connect to the sidecar. */
    static final int CONNECT_TIMEOUT_MILLIS = 5000;
    /** Exit code when our standard output is gone, as a process killed by SIGPIPE reports. */
    static final int EXIT_BROKEN_PIPE = 141;

    private final Invocation invocation;
    private final Map<String, String> env;
    private final String cwd;
    private final InputStream in;
    private final OutputStream out;
    private final OutputStream err;
    private volatile Socket socket;
    private volatile boolean finished;
    private volatile boolean interrupted;
    private volatile DirectRunner direct;

    ShimCall(Invocation invocation, Map<String, String> env, String cwd, InputStream in, OutputStream out,
             OutputStream err) {
        this.invocation = invocation;
        this.env = env;
        this.cwd = cwd;
        this.in = in;
        this.out = out;
        this.err = err;
    }

    /**
     * Runs the call.
     *
     * @return the exit code for the shim
     */
    int run() {
        String tool = invocation.tool();
        byte[] head;
        InetSocketAddress address;
        try {
            head = new Head(invocation.flags(), tool, cwd, invocation.args()).encode();
            address = SidecarAddress.parse(env.get(SidecarAddress.VARIABLE), tool);
        } catch (WireException | IllegalArgumentException e) {
            Shim.say(err, "kap: " + tool + " was not run: " + e.getMessage());
            return Wire.EXIT_KAP_ERROR;
        }
        Socket s = new Socket(Proxy.NO_PROXY);
        socket = s;
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(address.getHostString(), address.getPort()), CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            close();
            Shim.say(err, "kap: cannot reach the kap sidecar's CLI proxy at " + address.getHostString() + ":"
                    + address.getPort() + " (" + SidecarAddress.VARIABLE + "): " + e.getMessage() + ". " + tool
                    + " runs on the sidecar, where its credentials are; is the sidecar running?");
            return Wire.EXIT_KAP_ERROR;
        }
        try {
            FrameWriter writer = new FrameWriter(s.getOutputStream());
            writer.write(Wire.HEAD, head);
            startStdin(writer);
            return receive(new FrameReader(s.getInputStream()));
        } catch (IOException e) {
            if (interrupted) {
                return Wire.EXIT_KAP_ERROR;
            }
            if (finished) {
                return EXIT_BROKEN_PIPE;
            }
            Shim.say(err, "kap: the connection to the kap sidecar failed while running " + tool + ": "
                    + e.getMessage());
            return Wire.EXIT_KAP_ERROR;
        } finally {
            close();
        }
    }

    private int receive(FrameReader reader) throws IOException {
        while (true) {
            Frame frame = reader.next();
            if (frame == null) {
                Shim.say(err, "kap: the kap sidecar closed the connection before " + invocation.tool()
                        + " finished");
                return Wire.EXIT_KAP_ERROR;
            }
            switch (frame.type()) {
                case Wire.STDOUT:
                    if (!copy(out, frame.payload())) {
                        return EXIT_BROKEN_PIPE;
                    }
                    break;
                case Wire.STDERR:
                    copy(err, frame.payload());
                    break;
                case Wire.EXIT:
                    return FrameWriter.exitCode(frame.payload());
                case Wire.DIRECT:
                    close();
                    direct = new DirectRunner(invocation, env, err);
                    return direct.run(DirectGrant.decode(frame.payload()));
                default:
                    throw new WireException("unexpected frame '" + (char) frame.type() + "' from the sidecar");
            }
        }
    }

    /** Writes a chunk; a failed stdout means the reader went away (`| head`), so we stop like SIGPIPE would. */
    private boolean copy(OutputStream target, byte[] bytes) {
        try {
            target.write(bytes);
            target.flush();
            return true;
        } catch (IOException e) {
            finished = true;
            close();
            return false;
        }
    }

    private void startStdin(FrameWriter writer) {
        if ((invocation.flags() & Wire.FLAG_STDIN_TTY) != 0) {
            // a terminal is not forwarded: the tool has no terminal to prompt on, and reading one would swallow
            // what the user types next
            try {
                writer.signal(Wire.STDIN_CLOSE);
            } catch (IOException e) {
                close();
            }
            return;
        }
        Thread pump = new Thread(new StdinPump(in, writer), "kap-shim-stdin");
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * Whether the JVM is exiting on a signal (the exit hook ran before the call finished).
     *
     * @return {@code true} when interrupted
     */
    boolean interrupted() {
        return interrupted;
    }

    /** Marks the call done; the exit hook then does nothing. */
    void finish() {
        finished = true;
    }

    /** On JVM exit before the call finished (Ctrl-C, SIGTERM): drop the connection so the sidecar stops the tool. */
    Runnable interruptHook() {
        return new Runnable() {
            @Override
            public void run() {
                DirectRunner d = direct;
                if (d != null) {
                    d.stop();
                }
                if (!finished) {
                    interrupted = true;
                    close();
                }
            }
        };
    }

    private void close() {
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing is all we wanted
            }
        }
    }

    /** Copies standard input into STDIN frames, then sends STDIN_CLOSE. */
    private static final class StdinPump implements Runnable {
        private final InputStream in;
        private final FrameWriter writer;

        StdinPump(InputStream in, FrameWriter writer) {
            this.in = in;
            this.writer = writer;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[Wire.MAX_CHUNK_BYTES];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (n > 0) {
                        writer.write(Wire.STDIN, buffer, 0, n);
                    }
                }
            } catch (IOException e) {
                // stdin failed, or the call is over; either way the tool gets no more input
            }
            try {
                writer.signal(Wire.STDIN_CLOSE);
            } catch (IOException e) {
                // the call is over
            }
        }
    }
}
