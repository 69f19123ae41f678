package kap.egress.internal;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * The ClientHello reader against real ClientHellos from the JDK and against hand-built hostile ones: split records,
 * truncation, duplicate extensions, two host names.
 */
class ClientHelloTest {

    @Test
    void readsSniFromRealClientHello() throws Exception {
        byte[] hello = ClientHellos.real("api.example.test");
        assertThat(ClientHello.examine(hello, hello.length),
                is(new ClientHello.Complete(Optional.of("api.example.test"))));
    }

    @Test
    void realClientHelloWithoutSniHasNone() throws Exception {
        byte[] hello = ClientHellos.real(null);
        assertThat(ClientHello.examine(hello, hello.length), is(new ClientHello.Complete(Optional.empty())));
    }

    @Test
    void everyPrefixAsksForMoreAndNeverGuesses() throws Exception {
        byte[] hello = ClientHellos.splitIntoTwoRecords(ClientHellos.real("api.example.test"), 50);
        for (int length = 0; length < hello.length; length++) {
            ClientHello.Result r = ClientHello.examine(hello, length);
            assertThat("prefix of " + length, r, instanceOf(ClientHello.NeedMore.class));
            assertThat(((ClientHello.NeedMore) r).atLeast() > length, is(true));
        }
        assertThat(ClientHello.examine(hello, hello.length),
                is(new ClientHello.Complete(Optional.of("api.example.test"))));
    }

    @Test
    void splitAtEveryPointGivesTheSameName() throws Exception {
        byte[] hello = ClientHellos.real("split.example.test");
        for (int at = 1; at < hello.length - 5; at += 7) {
            byte[] split = ClientHellos.splitIntoTwoRecords(hello, at);
            assertThat(ClientHello.examine(split, split.length),
                    is(new ClientHello.Complete(Optional.of("split.example.test"))));
        }
    }

    @Test
    void otherRecordTypeBeforeTheEndIsMalformed() throws Exception {
        byte[] split = ClientHellos.splitIntoTwoRecords(ClientHellos.real("a.test"), 30);
        int second = 5 + 30;
        split[second] = 23;
        assertMalformed(split, "non-handshake record");
    }

    @Test
    void recordLongerThanTheLimitIsMalformed() {
        byte[] b = {22, 3, 1, 0x40, 0x01, 1, 0, 0, 1};
        assertMalformed(b, "record length");
    }

    @Test
    void otherHandshakeMessageIsMalformed() throws Exception {
        byte[] hello = ClientHellos.real("a.test");
        hello[5] = 2;
        assertMalformed(hello, "not a ClientHello");
    }

    @Test
    void trailingBytesInTheRecordAreMalformed() throws Exception {
        byte[] hello = ClientHellos.real("a.test");
        byte[] longer = Arrays.copyOf(hello, hello.length + 1);
        int recordLength = ((longer[3] & 0xff) << 8 | (longer[4] & 0xff)) + 1;
        longer[3] = (byte) (recordLength >> 8);
        longer[4] = (byte) recordLength;
        assertMalformed(longer, "bytes after the ClientHello");
    }

    @Test
    void duplicateServerNameExtensionIsMalformed() {
        byte[] sni = serverNameExtension(hostName("a.test"));
        assertMalformed(record(concat(sni, sni)), "duplicate extension 0");
    }

    @Test
    void twoHostNamesAreMalformed() {
        assertMalformed(record(serverNameExtension(concat(hostName("a.test"), hostName("b.test")))),
                "more than one host_name");
    }

    @Test
    void nonAsciiHostNameIsMalformed() {
        assertMalformed(record(serverNameExtension(hostName("caf\u00e9.test"))), "printable ASCII");
    }

    @Test
    void extensionLengthsThatDoNotAddUpAreMalformed() {
        byte[] ext = serverNameExtension(hostName("a.test"));
        ext[3] += 1;
        assertMalformed(record(ext), "");
    }

    @Test
    void handBuiltHelloReadsLikeARealOne() {
        byte[] b = record(serverNameExtension(hostName("hand.test")));
        assertThat(ClientHello.examine(b, b.length), is(new ClientHello.Complete(Optional.of("hand.test"))));
    }

    private static void assertMalformed(byte[] bytes, String why) {
        ClientHello.Result r = ClientHello.examine(bytes, bytes.length);
        assertThat(r, instanceOf(ClientHello.Malformed.class));
        assertThat(((ClientHello.Malformed) r).why(), containsString(why));
    }

    /** A minimal TLS 1.2-style ClientHello record with the given extensions. */
    static byte[] record(byte[] extensions) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {3, 3});
        body.writeBytes(new byte[32]);
        body.write(0);
        body.writeBytes(new byte[] {0, 2, 0x13, 0x01});
        body.writeBytes(new byte[] {1, 0});
        body.write(extensions.length >> 8);
        body.write(extensions.length);
        body.writeBytes(extensions);
        byte[] b = body.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {22, 3, 1, (byte) ((b.length + 4) >> 8), (byte) (b.length + 4), 1, 0,
            (byte) (b.length >> 8), (byte) b.length});
        out.writeBytes(b);
        return out.toByteArray();
    }

    static byte[] serverNameExtension(byte[] names) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int len = names.length + 2;
        out.writeBytes(new byte[] {0, 0, (byte) (len >> 8), (byte) len, (byte) (names.length >> 8),
            (byte) names.length});
        out.writeBytes(names);
        return out.toByteArray();
    }

    static byte[] hostName(String name) {
        byte[] n = name.getBytes(StandardCharsets.ISO_8859_1);
        return concat(new byte[] {0, (byte) (n.length >> 8), (byte) n.length}, n);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
