package kap.dns;

import java.io.IOException;
import java.util.List;

import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

import kap.policy.Reasons;

/**
 * Parses client queries. The header and the question are walked by hand first, because they are echoed byte for byte
 * and because a compression pointer in the first question can only point into the header; then dnsjava parses the
 * whole message, so that nothing we cannot read is ever answered as if we had.
 */
final class QueryParser {

    /** Largest query accepted over UDP; a larger datagram is refused. */
    static final int MAX_UDP_QUERY = 4096;
    /** Largest message over TCP (the 2-byte length prefix allows no more). */
    static final int MAX_TCP_MESSAGE = 65535;
    /** A DNS header is 12 bytes. */
    static final int HEADER = 12;
    private static final int MAX_WIRE_NAME = 255;
    private static final int MAX_LABEL = 63;

    private QueryParser() {
    }

    /**
     * Parses a query.
     *
     * @param packet the message, exactly as long as received
     * @param maxLength the transport's limit
     * @return the query
     * @throws MalformedQueryException with the reply to send and why
     */
    static Query parse(byte[] packet, int maxLength) {
        if (packet.length < HEADER) {
            throw MalformedQueryException.drop("truncated header (" + packet.length + " bytes)");
        }
        int flags = Wire.u16(packet, 2);
        if ((flags & Wire.QR) != 0) {
            throw MalformedQueryException.drop("response bit set");
        }
        if (packet.length > maxLength) {
            throw MalformedQueryException.formErr("message longer than " + maxLength + " bytes");
        }
        int opcode = (flags >> 11) & 0xf;
        if (opcode != 0) {
            throw new MalformedQueryException(MalformedQueryException.Reply.NOTIMP, Reasons.UNSUPPORTED_OPCODE,
                    "opcode " + opcode);
        }
        int questions = Wire.u16(packet, 4);
        if (questions != 1) {
            throw MalformedQueryException.formErr(questions + " questions");
        }
        if (Wire.u16(packet, 6) != 0 || Wire.u16(packet, 8) != 0) {
            throw MalformedQueryException.formErr("answer or authority records in a query");
        }
        int questionEnd = questionEnd(packet, packet.length);
        if (questionEnd < 0) {
            throw MalformedQueryException.formErr("unreadable question name");
        }
        Message message;
        try {
            message = new Message(packet);
        } catch (IOException | RuntimeException e) {
            throw MalformedQueryException.formErr("unparseable: " + safe(e.getMessage()));
        }
        return query(packet, flags, questionEnd, message);
    }

    private static Query query(byte[] packet, int flags, int questionEnd, Message message) {
        Record question = message.getQuestion();
        List<Record> additional = message.getSection(Section.ADDITIONAL);
        OPTRecord opt = null;
        for (Record r : additional) {
            if (r instanceof OPTRecord o) {
                if (opt != null || !o.getName().equals(org.xbill.DNS.Name.root)) {
                    throw MalformedQueryException.formErr("more than one OPT record, or one not at the root");
                }
                opt = o;
            }
        }
        int payload = opt == null ? -1 : Math.max(opt.getPayloadSize(), Wire.PLAIN_UDP);
        int version = opt == null ? -1 : opt.getVersion();
        return new Query(packet, Wire.u16(packet, 0), flags, question.getName().toString(true), question.getType(),
                question.getDClass(), questionEnd, payload, version);
    }

    /**
     * Walks the first question: uncompressed labels up to the root label, then type and class.
     *
     * @param packet message
     * @param length bytes of it to read
     * @return offset after the question, or -1 if it is not a well-formed uncompressed question
     */
    static int questionEnd(byte[] packet, int length) {
        int pos = HEADER;
        int wire = 0;
        while (pos < length) {
            int len = packet[pos] & 0xff;
            if (len == 0) {
                return pos + 5 <= length && wire + 1 <= MAX_WIRE_NAME ? pos + 5 : -1;
            }
            if (len > MAX_LABEL) {
                return -1;
            }
            wire += len + 1;
            pos += len + 1;
            if (wire > MAX_WIRE_NAME) {
                return -1;
            }
        }
        return -1;
    }

    private static String safe(String message) {
        if (message == null) {
            return "no detail";
        }
        String clean = message.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 80 ? clean.substring(0, 80) : clean;
    }
}
