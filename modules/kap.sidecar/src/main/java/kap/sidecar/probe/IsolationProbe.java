package kap.sidecar.probe;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Tries ways out of a capsule and reports each as {@code PASS} (closed, as it must be) or {@code FAIL}. Runs in the
 * capsule's network namespace (the docker runtime starts it in a container that shares the app's network), so it sees
 * exactly the app's routes without needing any tool in the app image.
 *
 * <p>Arguments, one probe each: {@code tcp:HOST:PORT} (a direct connection must not be made, and nothing may answer:
 * a refusal means a host is reachable), {@code closed:HOST:PORT} (a reachable host must not accept on that port),
 * {@code udp53:HOST[:PORT]} (no DNS server may answer),
 * {@code dns-denies:HOST:NAME[:PORT]} (the capsule's DNS server must answer NXDOMAIN or REFUSED for NAME),
 * {@code proxy-denies:HOST:PORT:NAME} (the proxy must refuse {@code CONNECT NAME:443}). IPv6 hosts are written in
 * brackets. Output: one line per probe, {@code PASS|FAIL <probe> <detail>}; exit code 0 when all pass.
 */
public final class IsolationProbe {

    private static final int TIMEOUT_MILLIS = 3000;

    private IsolationProbe() {
    }

    /**
     * Runs the probes.
     *
     * @param args probes
     */
    public static void main(String[] args) {
        // each probe may wait out its timeout, so they run at once; the output keeps the argument order
        List<java.util.concurrent.Future<String>> results = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (String probe : args) {
                results.add(pool.submit(() -> run(probe)));
            }
        }
        boolean all = true;
        for (var f : results) {
            String result = f.resultNow();
            all &= result.startsWith("PASS");
            System.out.println(result);
        }
        System.out.flush();
        System.exit(all ? 0 : 1);
    }

    static String run(String probe) {
        try {
            List<String> p = split(probe);
            return switch (p.getFirst()) {
                case "tcp" -> tcp(probe, p.get(1), Integer.parseInt(p.get(2)));
                case "closed" -> closed(probe, p.get(1), Integer.parseInt(p.get(2)));
                case "udp53" -> udp53(probe, p.get(1), port(p, 2));
                case "dns-denies" -> dnsDenies(probe, p.get(1), p.get(2), port(p, 3));
                case "proxy-denies" -> proxyDenies(probe, p.get(1), Integer.parseInt(p.get(2)), p.get(3));
                default -> "FAIL " + probe + " unknown probe";
            };
        } catch (RuntimeException e) {
            return "FAIL " + probe + " bad probe: " + e;
        }
    }

    private static String tcp(String probe, String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getByName(host), port), TIMEOUT_MILLIS);
            return "FAIL " + probe + " connected";
        } catch (java.net.ConnectException e) {
            // "Connection refused" means a host answered with RST: there is a route
            return e.getMessage() != null && e.getMessage().contains("refused")
                    ? "FAIL " + probe + " a host answered (connection refused): there is a route"
                    : "PASS " + probe + " " + e.getMessage();
        } catch (SocketTimeoutException e) {
            return "PASS " + probe + " timed out, nothing answered";
        } catch (IOException e) {
            return "PASS " + probe + " " + e.getMessage();
        }
    }

    /** A port on a host the capsule may reach (the sidecar) that must not accept: refused or unreachable pass. */
    private static String closed(String probe, String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getByName(host), port), TIMEOUT_MILLIS);
            return "FAIL " + probe + " connected";
        } catch (IOException e) {
            return "PASS " + probe + " " + e.getMessage();
        }
    }

    /** An optional DNS port at an index (tests use one of their own); 53 when absent. */
    private static int port(List<String> parts, int index) {
        return parts.size() > index ? Integer.parseInt(parts.get(index)) : 53;
    }

    private static String udp53(String probe, String host, int port) {
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(TIMEOUT_MILLIS);
            byte[] q = DnsQuery.build("kap-probe.invalid");
            s.send(new DatagramPacket(q, q.length, new InetSocketAddress(InetAddress.getByName(host), port)));
            byte[] buf = new byte[512];
            s.receive(new DatagramPacket(buf, buf.length));
            return "FAIL " + probe + " a DNS server answered";
        } catch (SocketTimeoutException e) {
            return "PASS " + probe + " no answer";
        } catch (IOException e) {
            return "PASS " + probe + " " + e.getMessage();
        }
    }

    private static String dnsDenies(String probe, String host, String name, int port) {
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(TIMEOUT_MILLIS);
            byte[] q = DnsQuery.build(name);
            s.send(new DatagramPacket(q, q.length, new InetSocketAddress(InetAddress.getByName(host), port)));
            byte[] buf = new byte[4096];
            DatagramPacket reply = new DatagramPacket(buf, buf.length);
            s.receive(reply);
            int rcode = reply.getLength() >= 4 ? buf[3] & 0x0f : -1;
            return rcode == 3 || rcode == 5 ? "PASS " + probe + " rcode " + rcode
                    : "FAIL " + probe + " rcode " + rcode + " (the name was answered)";
        } catch (IOException e) {
            return "FAIL " + probe + " the capsule's DNS server did not answer: " + e.getMessage();
        }
    }

    private static String proxyDenies(String probe, String host, int port, String name) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getByName(host), port), TIMEOUT_MILLIS);
            s.setSoTimeout(TIMEOUT_MILLIS);
            s.getOutputStream().write(("CONNECT " + name + ":443 HTTP/1.1\r\nHost: " + name + ":443\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return status.startsWith("HTTP/1.1 403") || status.startsWith("HTTP/1.0 403")
                    ? "PASS " + probe + " 403" : "FAIL " + probe + " answered " + status.strip();
        } catch (IOException e) {
            return "FAIL " + probe + " the proxy did not answer: " + e.getMessage();
        }
    }

    /** Splits at colons, keeping a bracketed IPv6 address whole (without its brackets). */
    static List<String> split(String probe) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        while (i <= probe.length()) {
            if (i < probe.length() && probe.charAt(i) == '[') {
                int close = probe.indexOf(']', i);
                parts.add(probe.substring(i + 1, close));
                i = close + 2;
                continue;
            }
            int colon = probe.indexOf(':', i);
            int end = colon < 0 ? probe.length() : colon;
            parts.add(probe.substring(i, end));
            i = end + 1;
        }
        return parts;
    }
}
