package kap.sidecar.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The sidecar container's health check: {@code GET /health} on the admin listener, exit 0 when it answers 200 with
 * {@code "status":"ok"}. A plain socket keeps the JVM's start-up to a minimum, since Docker runs this every few
 * seconds: {@code java -m kap.sidecar/kap.sidecar.probe.HealthProbe 172.30.1.3:3131}.
 */
public final class HealthProbe {

    private static final int TIMEOUT_MILLIS = 2000;
    private static final int MAX_RESPONSE = 64 * 1024;

    private HealthProbe() {
    }

    /**
     * Probes once.
     *
     * @param args {@code HOST:PORT} of the admin listener
     */
    public static void main(String[] args) {
        System.exit(args.length == 1 && healthy(args[0]) ? 0 : 1);
    }

    static boolean healthy(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            return false;
        }
        String host = hostPort.substring(0, colon);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1))), TIMEOUT_MILLIS);
            s.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = s.getOutputStream();
            out.write(("GET /health HTTP/1.0\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readNBytes(MAX_RESPONSE), StandardCharsets.UTF_8);
            return response.startsWith("HTTP/1.1 200") && response.contains("\"status\":\"ok\"");
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }
}
