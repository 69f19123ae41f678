package kap.dns;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

class WireCodecTest {

    private static final long SECOND = 1_000_000_000L;
    private static final Name NAME = Name.fromConstantString("www.example.test.");

    @Nested
    class Parsing {
        @Test
        void readsTheQuestionAndEdns() {
            Message m = Message.newQuery(Record.newRecord(Name.fromConstantString("WWW.Example.test."), Type.AAAA,
                    DClass.IN));
            m.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
            Query q = QueryParser.parse(m.toWire(), QueryParser.MAX_UDP_QUERY);
            assertThat(q.name(), is("WWW.Example.test"));
            assertThat(q.type(), is(Type.AAAA));
            assertThat(q.ednsPayload(), is(4096));
            assertThat(q.questionLength(), is(NAME.length() + 4));
        }

        @Test
        void rejectsTwoOptRecords() {
            byte[] wire = RawClient.query(1, "a.example.test");
            Message m = Message.newQuery(Record.newRecord(NAME, Type.A, DClass.IN));
            m.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
            m.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
            MalformedQueryException e = assertThrows(MalformedQueryException.class,
                    () -> QueryParser.parse(m.toWire(), QueryParser.MAX_UDP_QUERY));
            assertThat(e.getMessage(), containsString("more than one OPT"));
            assertThat(wire.length > 12, is(true));
        }

        @Test
        void rejectsAnswersInAQuery() {
            byte[] wire = RawClient.query(1, "a.example.test");
            Wire.put16(wire, 6, 1);
            MalformedQueryException e = assertThrows(MalformedQueryException.class,
                    () -> QueryParser.parse(wire, QueryParser.MAX_UDP_QUERY));
            assertThat(e.reply(), is(MalformedQueryException.Reply.FORMERR));
        }

        @Test
        void walksOnlyUncompressedQuestions() {
            byte[] wire = RawClient.query(1, "a.example.test");
            assertThat(QueryParser.questionEnd(wire, wire.length), is(wire.length));
            assertThat(QueryParser.questionEnd(wire, wire.length - 1), is(-1));
            wire[12] = (byte) 0xc0;
            assertThat(QueryParser.questionEnd(wire, wire.length), is(-1));
        }
    }

    @Nested
    class Answers {
        private Message upstream(long ttl, Record... answers) {
            Message m = new Message(7);
            m.getHeader().setFlag(Flags.QR);
            m.addRecord(Record.newRecord(NAME, Type.A, DClass.IN), Section.QUESTION);
            for (Record r : answers) {
                m.addRecord(r, Section.ANSWER);
            }
            return m;
        }

        private Query query(String name, int edns) {
            Message m = Message.newQuery(Record.newRecord(Name.fromConstantString(name), Type.A, DClass.IN));
            m.getHeader().setID(0x4242);
            if (edns > 0) {
                m.addRecord(new OPTRecord(edns, 0, 0), Section.ADDITIONAL);
            }
            return QueryParser.parse(m.toWire(), QueryParser.MAX_UDP_QUERY);
        }

        @Test
        void servesTheClientsIdAndCaseAndCountsTtlsDown() throws Exception {
            Message m = upstream(300, new ARecord(NAME, DClass.IN, 300, InetAddress.getByName("93.184.216.34")),
                    new ARecord(NAME, DClass.IN, 100, InetAddress.getByName("93.184.216.35")));
            CachedAnswer a = CachedAnswer.from(m, NAME, Type.A, List.of(), 0);
            assertThat(a.expiresNanos(), is(100 * SECOND));
            Message reply = new Message(Replies.answer(a, query("WWW.example.TEST.", 0), 40 * SECOND + 1, false));
            assertThat(reply.getHeader().getID(), is(0x4242));
            assertThat(reply.getQuestion().getName().toString(), is("WWW.example.TEST."));
            assertThat(reply.getSection(Section.ANSWER).stream().map(Record::getTTL).toList(), contains(60L, 60L));
            assertThat(reply.getOPT(), is(nullValue()));
        }

        @Test
        void addsOptOnlyWhenTheClientSentOne() throws Exception {
            Message m = upstream(300, new ARecord(NAME, DClass.IN, 300, InetAddress.getByName("93.184.216.34")));
            CachedAnswer a = CachedAnswer.from(m, NAME, Type.A, List.of(), 0);
            Message reply = new Message(Replies.answer(a, query("www.example.test.", 1232), 0, false));
            assertThat(reply.getOPT().getPayloadSize(), is(Wire.EDNS_PAYLOAD));
        }

        @Test
        void truncatesWhatDoesNotFitAPlainUdpReply() throws Exception {
            Message m = upstream(300);
            m.removeAllRecords(Section.QUESTION);
            m.addRecord(Record.newRecord(NAME, Type.TXT, DClass.IN), Section.QUESTION);
            for (int i = 0; i < 5; i++) {
                m.addRecord(new TXTRecord(NAME, DClass.IN, 60, "x".repeat(200)), Section.ANSWER);
            }
            CachedAnswer a = CachedAnswer.from(m, NAME, Type.TXT, List.of(), 0);
            Message q = Message.newQuery(Record.newRecord(NAME, Type.TXT, DClass.IN));
            Query query = QueryParser.parse(q.toWire(), QueryParser.MAX_UDP_QUERY);
            Message udp = new Message(Replies.answer(a, query, 0, false));
            assertThat(udp.getHeader().getFlag(Flags.TC), is(true));
            assertThat(udp.getSection(Section.ANSWER).isEmpty(), is(true));
            Message tcp = new Message(Replies.answer(a, query, 0, true));
            assertThat(tcp.getSection(Section.ANSWER).size(), is(5));
        }

        @Test
        void cachesNegativeAnswersForTheSmallerOfSoaTtlAndMinimum() throws Exception {
            Message m = upstream(0);
            m.getHeader().setRcode(Rcode.NXDOMAIN);
            m.addRecord(new SOARecord(Name.fromConstantString("example.test."), DClass.IN, 900,
                    Name.fromConstantString("ns.test."), Name.fromConstantString("a.test."), 1, 1, 1, 1, 120),
                    Section.AUTHORITY);
            CachedAnswer a = CachedAnswer.from(m, NAME, Type.A, List.of(), 0);
            assertThat(a.expiresNanos(), is(120 * SECOND));
            Message reply = new Message(Replies.answer(a, query("www.example.test.", 0), 0, false));
            assertThat(reply.getRcode(), is(Rcode.NXDOMAIN));
            assertThat(reply.getSection(Section.AUTHORITY).getFirst().getTTL(), is(120L));
        }

        @Test
        void doesNotCacheNegativeAnswersWithoutSoa() {
            Message m = upstream(0);
            m.getHeader().setRcode(Rcode.NXDOMAIN);
            assertThat(CachedAnswer.from(m, NAME, Type.A, List.of(), 0).cacheable(), is(false));
        }
    }

    @Nested
    class Cache {
        @Test
        void evictsTheLeastRecentlyUsedBeyondItsSize() throws Exception {
            AnswerCache cache = new AnswerCache();
            Message m = new Message(1);
            m.addRecord(Record.newRecord(NAME, Type.A, DClass.IN), Section.QUESTION);
            m.addRecord(new ARecord(NAME, DClass.IN, 60, InetAddress.getByName("93.184.216.34")), Section.ANSWER);
            CachedAnswer a = CachedAnswer.from(m, NAME, Type.A, List.of(), 0);
            cache.put(new AnswerCache.Key("a", 1), a, 2);
            cache.put(new AnswerCache.Key("b", 1), a, 2);
            cache.get(new AnswerCache.Key("a", 1), 0);
            cache.put(new AnswerCache.Key("c", 1), a, 2);
            assertThat(cache.keys(), contains(new AnswerCache.Key("a", 1), new AnswerCache.Key("c", 1)));
            assertThat(cache.get(new AnswerCache.Key("a", 1), 61 * SECOND), is(nullValue()));
            cache.put(new AnswerCache.Key("d", 1), a, 0);
            assertThat(cache.size(), is(1));
        }
    }

    @Test
    void rejectsAMessageEndingInsideARecord() {
        byte[] wire = new Message(1).toWire();
        assertThrows(IllegalArgumentException.class, () -> WireWalker.walk(wire));
    }
}
