package kap.dns;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

import kap.dns.TestUpstream.Script;
import kap.policy.AuditEvent;
import kap.policy.Reasons;

/**
 * Hostile and broken packets: each gets FORMERR, NOTIMP, BADVERS or nothing, is never forwarded, is audited, and the
 * listener answers the next real dig query.
 */
@Timeout(60)
class MalformedPacketTest {

    @TempDir
    static Path dir;
    static TestUpstream upstream;
    static Fixture kap;

    @BeforeAll
    static void start() throws Exception {
        upstream = TestUpstream.start(n -> Script.answer(60, "93.184.216.34"));
        kap = Fixture.start(dir, List.of(upstream.endpoint()), List.of("allowed.test", "*.allowed.test"), "");
    }

    @AfterAll
    static void stop() throws Exception {
        kap.close();
        upstream.close();
    }

    @AfterEach
    void listenerStillAnswers() throws Exception {
        assertThat(Dig.query(kap.port(), "allowed.test", "A").status(), is("NOERROR"));
        assertThat(Dig.query(kap.port(), "allowed.test", "A", "+tcp").status(), is("NOERROR"));
    }

    @Test
    void answersFormerrToACompressionLoopInTheQuestion() throws Exception {
        byte[] packet = header(0x1111, 1, 0);
        packet = concat(packet, new byte[] {(byte) 0xc0, 12, 0, 1, 0, 1});
        byte[] reply = RawClient.udp(kap.port(), packet).orElseThrow();
        assertThat(RawClient.rcode(reply), is(Rcode.FORMERR));
        assertThat(RawClient.id(reply), is(0x1111));
        assertMalformedAudited("unreadable question name");
    }

    @Test
    void answersFormerrToACompressionLoopInTheAdditionalSection() throws Exception {
        byte[] query = RawClient.query(0x2222, "loop.allowed.test");
        Wire.put16(query, 10, 1);
        int at = query.length;
        byte[] record = {(byte) (0xc0 | (at >> 8)), (byte) at, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0};
        byte[] reply = RawClient.udp(kap.port(), concat(query, record)).orElseThrow();
        assertThat(RawClient.rcode(reply), is(Rcode.FORMERR));
        assertThat(upstream.queries("loop.allowed.test"), is(0));
        assertMalformedAudited("unparseable");
    }

    @Test
    void dropsATruncatedHeader() throws Exception {
        assertThat(RawClient.udp(kap.port(), new byte[] {0x12, 0x34, 0x01, 0x00, 0x00}), is(Optional.empty()));
        assertMalformedAudited("truncated header (5 bytes)");
    }

    @Test
    void answersAQueryCarrying4KbOfEdnsOptions() throws Exception {
        byte[] query = RawClient.query(0x3333, "edns.allowed.test");
        Wire.put16(query, 10, 1);
        int optionLength = QueryParser.MAX_UDP_QUERY - query.length - 11 - 4;
        byte[] opt = new byte[11 + 4 + optionLength];
        Wire.put16(opt, 1, 41);
        Wire.put16(opt, 3, 4096);
        Wire.put16(opt, 9, 4 + optionLength);
        Wire.put16(opt, 11, 65001);
        Wire.put16(opt, 13, optionLength);
        byte[] packet = concat(query, opt);
        assertThat(packet.length, is(4096));
        byte[] reply = RawClient.udp(kap.port(), packet).orElseThrow();
        Message parsed = new Message(reply);
        assertThat(parsed.getRcode(), is(Rcode.NOERROR));
        assertThat(parsed.toString(), containsString("93.184.216.34"));
        assertThat("the client's options are not forwarded", upstream.queries("edns.allowed.test"), is(1));
    }

    @Test
    void answersFormerrToADatagramLargerThan4Kb() throws Exception {
        byte[] query = RawClient.query(0x4444, "huge.allowed.test");
        byte[] packet = Arrays.copyOf(query, 5000);
        byte[] reply = RawClient.udp(kap.port(), packet).orElseThrow();
        assertThat(RawClient.rcode(reply), is(Rcode.FORMERR));
        assertThat(upstream.queries("huge.allowed.test"), is(0));
        assertMalformedAudited("message longer than 4096 bytes");
    }

    @Test
    void answersFormerrToTwoQuestionsAndForwardsNeither() throws Exception {
        byte[] first = RawClient.query(0x5555, "one.allowed.test");
        byte[] second = RawClient.query(0, "two.allowed.test");
        byte[] packet = concat(first, Arrays.copyOfRange(second, 12, second.length));
        Wire.put16(packet, 4, 2);
        byte[] reply = RawClient.udp(kap.port(), packet).orElseThrow();
        assertThat(RawClient.rcode(reply), is(Rcode.FORMERR));
        assertThat(upstream.queries("one.allowed.test") + upstream.queries("two.allowed.test"), is(0));
        assertMalformedAudited("2 questions");
        byte[] overTcp = RawClient.tcp(kap.port(), packet).orElseThrow();
        assertThat(RawClient.rcode(overTcp), is(Rcode.FORMERR));
    }

    @Test
    void answersFormerrToNoQuestion() throws Exception {
        byte[] reply = RawClient.udp(kap.port(), header(0x6666, 0, 0)).orElseThrow();
        assertThat(RawClient.rcode(reply), is(Rcode.FORMERR));
        assertMalformedAudited("0 questions");
    }

    @Test
    void dropsAMessageWithTheResponseBitSet() throws Exception {
        byte[] packet = RawClient.query(0x7777, "reply.allowed.test");
        packet[2] |= (byte) 0x80;
        assertThat(RawClient.udp(kap.port(), packet), is(Optional.empty()));
        assertMalformedAudited("response bit set");
    }

    @Test
    void answersNotimpToOtherOpcodes() throws Exception {
        byte[] packet = RawClient.query(0x8888, "status.allowed.test");
        packet[2] = (byte) ((packet[2] & 0x87) | (2 << 3));
        byte[] reply = RawClient.udp(kap.port(), packet).orElseThrow();
        assertThat(RawClient.rcode(reply), is(Rcode.NOTIMP));
        assertThat(kap.dnsEvents(e -> e.reason().equals(Reasons.UNSUPPORTED_OPCODE)).isEmpty(), is(false));
    }

    @Test
    void answersBadversToEdnsVersionOne() throws Exception {
        Dig.Result r = Dig.query(kap.port(), "v1.allowed.test", "A", "+edns=1", "+noednsnegotiation");
        assertThat(r.status(), is("BADVERS"));
        assertThat(upstream.queries("v1.allowed.test"), is(0));
        assertThat(kap.denials("v1.allowed.test A").getFirst().reason(), is(Reasons.MALFORMED_QUERY));
    }

    @Test
    void survivesRandomGarbage() throws Exception {
        Random random = new Random(42);
        try (DatagramSocket socket = new DatagramSocket()) {
            for (int i = 0; i < 150; i++) {
                byte[] garbage = new byte[1 + random.nextInt(600)];
                random.nextBytes(garbage);
                socket.send(new DatagramPacket(garbage, garbage.length, InetAddress.getLoopbackAddress(), kap.port()));
            }
        }
        // let the client's token bucket (200 per second by default) refill before the next real query
        Thread.sleep(1000);
        assertThat(kap.dnsEvents(e -> e.reason().equals(Reasons.MALFORMED_QUERY)).isEmpty(), is(false));
    }

    @Test
    void closesATcpConnectionThatPromisesMoreThanItSends() throws Exception {
        try (Socket slow = new Socket(InetAddress.getLoopbackAddress(), kap.port())) {
            OutputStream out = slow.getOutputStream();
            out.write(new byte[] {(byte) 0xff, (byte) 0xff, 1, 2, 3});
            out.flush();
            assertThat(Dig.query(kap.port(), "other.allowed.test", "A", "+tcp").status(), is("NOERROR"));
        }
        assertThat(RawClient.tcp(kap.port(), new byte[] {1, 2, 3}), is(Optional.empty()));
    }

    private static void assertMalformedAudited(String problem) throws Exception {
        List<AuditEvent> events = kap.dnsEvents(e -> e.reason().equals(Reasons.MALFORMED_QUERY));
        assertThat(events.stream().map(e -> String.valueOf(e.detail().get("problem"))).toList(),
                hasItem(containsString(problem)));
        assertThat(events.stream().map(AuditEvent::verdict).toList(), not(hasItem(AuditEvent.Outcome.ALLOW)));
    }

    private static byte[] header(int id, int questions, int additional) {
        byte[] h = new byte[12];
        Wire.put16(h, 0, id);
        Wire.put16(h, 2, Wire.RD);
        Wire.put16(h, 4, questions);
        Wire.put16(h, 10, additional);
        return h;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
