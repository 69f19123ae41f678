package kap.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import kap.policy.Endpoint;

/**
 * A scripted upstream on loopback (UDP and TCP on one port), built on dnsjava, for what dnsmasq cannot be made to do:
 * truncate over UDP, stay silent, send stray replies first, answer private addresses next to public ones. It counts
 * every query by name and transport.
 */
final class TestUpstream implements AutoCloseable {

    /**
     * How to answer one name.
     *
     * @param rcode NOERROR or NXDOMAIN (with a SOA whose TTL and minimum are {@code ttl})
     * @param addresses A or AAAA addresses to answer
     * @param ttl TTL of every record
     * @param truncateUdp answer over UDP with TC set and no records, and in full over TCP
     * @param silent never answer
     * @param strayFirst before the real reply, send one with a wrong ID and one with a wrong question
     * @param txtBytes a TXT answer this large (for big answers), or 0
     * @param loseFirst ignore the first UDP query for each name, as if the datagram were lost
     */
    record Script(int rcode, List<String> addresses, long ttl, boolean truncateUdp, boolean silent,
                  boolean strayFirst, int txtBytes, boolean loseFirst) {
        static Script answer(long ttl, String... addresses) {
            return new Script(Rcode.NOERROR, List.of(addresses), ttl, false, false, false, 0, false);
        }

        static Script nxdomain(long ttl) {
            return new Script(Rcode.NXDOMAIN, List.of(), ttl, false, false, false, 0, false);
        }

        static Script silence() {
            return new Script(Rcode.NOERROR, List.of(), 0, false, true, false, 0, false);
        }

        Script truncatedOverUdp() {
            return new Script(rcode, addresses, ttl, true, silent, strayFirst, txtBytes, loseFirst);
        }

        Script withStrayRepliesFirst() {
            return new Script(rcode, addresses, ttl, truncateUdp, silent, true, txtBytes, loseFirst);
        }

        Script withTxt(int bytes) {
            return new Script(rcode, addresses, ttl, truncateUdp, silent, strayFirst, bytes, loseFirst);
        }

        Script withFirstDatagramLost() {
            return new Script(rcode, addresses, ttl, truncateUdp, silent, strayFirst, txtBytes, true);
        }
    }

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final Function<String, Script> script;
    private final Map<String, AtomicInteger> udpCounts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> tcpCounts = new ConcurrentHashMap<>();

    private TestUpstream(DatagramSocket udp, ServerSocket tcp, Function<String, Script> script) {
        this.udp = udp;
        this.tcp = tcp;
        this.script = script;
    }

    static TestUpstream start(Function<String, Script> script) throws IOException {
        for (int i = 0; i < 10; i++) {
            DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try {
                ServerSocket tcp = new ServerSocket(udp.getLocalPort(), 50, InetAddress.getLoopbackAddress());
                TestUpstream upstream = new TestUpstream(udp, tcp, script);
                Thread.ofVirtual().start(upstream::serveUdp);
                Thread.ofVirtual().start(upstream::acceptTcp);
                return upstream;
            } catch (IOException e) {
                udp.close();
            }
        }
        throw new IOException("no port free for UDP and TCP");
    }

    Endpoint endpoint() {
        return new Endpoint(InetAddress.getLoopbackAddress(), udp.getLocalPort());
    }

    int udpQueries(String name) {
        return udpCounts.getOrDefault(name, new AtomicInteger()).get();
    }

    int tcpQueries(String name) {
        return tcpCounts.getOrDefault(name, new AtomicInteger()).get();
    }

    int queries(String name) {
        return udpQueries(name) + tcpQueries(name);
    }

    @Override
    public void close() throws IOException {
        udp.close();
        tcp.close();
    }

    private void serveUdp() {
        byte[] buffer = new byte[65535];
        while (!udp.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                udp.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(buffer, packet.getLength()));
                String name = query.getQuestion().getName().toString(true).toLowerCase(java.util.Locale.ROOT);
                int seen = udpCounts.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
                Script s = script.apply(name);
                if (s.silent() || (s.loseFirst() && seen == 1)) {
                    continue;
                }
                if (s.strayFirst()) {
                    Message wrongId = reply(query, s, false);
                    wrongId.getHeader().setID((query.getHeader().getID() + 1) & 0xffff);
                    send(wrongId, packet);
                    Message wrongName = reply(query, s, false);
                    wrongName.removeAllRecords(Section.QUESTION);
                    wrongName.addRecord(Record.newRecord(Name.fromConstantString("evil.test."), Type.A, DClass.IN),
                            Section.QUESTION);
                    wrongName.removeAllRecords(Section.ANSWER);
                    wrongName.addRecord(new ARecord(Name.fromConstantString("evil.test."), DClass.IN, 60,
                            InetAddress.getByName("6.6.6.6")), Section.ANSWER);
                    send(wrongName, packet);
                }
                send(reply(query, s, s.truncateUdp()), packet);
            } catch (IOException e) {
                // closed, or a packet we cannot read: keep serving until closed
            }
        }
    }

    private void send(Message reply, DatagramPacket to) throws IOException {
        byte[] wire = reply.toWire();
        udp.send(new DatagramPacket(wire, wire.length, to.getSocketAddress()));
    }

    private void acceptTcp() {
        while (!tcp.isClosed()) {
            try (Socket socket = tcp.accept()) {
                socket.setSoTimeout(5000);
                DataInputStream in = new DataInputStream(socket.getInputStream());
                byte[] wire = new byte[in.readUnsignedShort()];
                in.readFully(wire);
                Message query = new Message(wire);
                String name = query.getQuestion().getName().toString(true).toLowerCase(java.util.Locale.ROOT);
                tcpCounts.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
                Script s = script.apply(name);
                if (s.silent()) {
                    continue;
                }
                byte[] out = reply(query, s, false).toWire();
                DataOutputStream data = new DataOutputStream(socket.getOutputStream());
                data.writeShort(out.length);
                data.write(out);
                data.flush();
            } catch (IOException e) {
                // next connection
            }
        }
    }

    private static Message reply(Message query, Script s, boolean truncated) throws IOException {
        Message reply = new Message(query.getHeader().getID());
        reply.getHeader().setFlag(Flags.QR);
        reply.getHeader().setFlag(Flags.RA);
        reply.getHeader().setRcode(s.rcode());
        Record question = query.getQuestion();
        reply.addRecord(question, Section.QUESTION);
        if (truncated) {
            reply.getHeader().setFlag(Flags.TC);
            return reply;
        }
        Name name = question.getName();
        for (String a : s.addresses()) {
            InetAddress address = InetAddress.getByName(a);
            reply.addRecord(a.indexOf(':') >= 0 ? new AAAARecord(name, DClass.IN, s.ttl(), address)
                    : new ARecord(name, DClass.IN, s.ttl(), address), Section.ANSWER);
        }
        if (s.txtBytes() > 0) {
            for (int i = 0; i < s.txtBytes() / 200; i++) {
                reply.addRecord(new TXTRecord(name, DClass.IN, s.ttl(), "x".repeat(200)), Section.ANSWER);
            }
        }
        if (s.rcode() == Rcode.NXDOMAIN || (s.addresses().isEmpty() && s.txtBytes() == 0)) {
            Name zone = new Name(name, Math.max(0, name.labels() - 3));
            reply.addRecord(new SOARecord(zone, DClass.IN, s.ttl(), Name.fromConstantString("ns.test."),
                    Name.fromConstantString("admin.test."), 1, 3600, 600, 86400, s.ttl()), Section.AUTHORITY);
        }
        return reply;
    }
}
