package kap.dns;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * One query to one upstream over UDP or TCP. A reply counts only if it comes from the upstream's address and port
 * (the UDP socket is connected), carries our random ID, is a response to a QUERY, and repeats our question exactly;
 * anything else is ignored (UDP) or fails the attempt (TCP). Every wait is bounded by the deadline.
 */
final class UpstreamExchange {

    /** Datagrams that do not match are ignored; after this many the attempt gives up. */
    static final int MAX_STRAY_DATAGRAMS = 16;
    /** Receive buffer: more than the payload size we advertise, so an oversized reply is seen, not cut. */
    static final int UDP_BUFFER = 4096;

    private UpstreamExchange() {
    }

    /**
     * Sends over UDP and waits for the matching reply.
     *
     * @param upstream where to
     * @param query our query, with its ID set
     * @param deadlineNanos {@link System#nanoTime()} by which to give up
     * @return the matching reply (it may have TC set)
     * @throws IOException on timeout or a network error
     */
    static Message udp(InetSocketAddress upstream, Message query, long deadlineNanos) throws IOException {
        byte[] wire = query.toWire();
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(upstream);
            socket.send(new DatagramPacket(wire, wire.length));
            byte[] buffer = new byte[UDP_BUFFER];
            for (int i = 0; i < MAX_STRAY_DATAGRAMS; i++) {
                socket.setSoTimeout(remainingMillis(deadlineNanos));
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                Message reply = parse(buffer, packet.getLength());
                if (reply != null && matches(reply, query)) {
                    return reply;
                }
            }
            throw new IOException("only mismatched replies");
        }
    }

    /**
     * Sends over TCP (RFC 7766: two-byte length prefix) and reads one reply.
     *
     * @param upstream where to
     * @param query our query, with its ID set
     * @param deadlineNanos {@link System#nanoTime()} by which to give up
     * @return the matching reply
     * @throws IOException on timeout, a network error or a mismatched reply
     */
    static Message tcp(InetSocketAddress upstream, Message query, long deadlineNanos) throws IOException {
        byte[] wire = query.toWire();
        try (Socket socket = new Socket()) {
            socket.connect(upstream, remainingMillis(deadlineNanos));
            socket.setSoTimeout(remainingMillis(deadlineNanos));
            OutputStream out = socket.getOutputStream();
            byte[] framed = new byte[wire.length + 2];
            Wire.put16(framed, 0, wire.length);
            System.arraycopy(wire, 0, framed, 2, wire.length);
            out.write(framed);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int length = in.readUnsignedShort();
            byte[] buffer = new byte[length];
            socket.setSoTimeout(remainingMillis(deadlineNanos));
            in.readFully(buffer);
            Message reply = parse(buffer, length);
            if (reply == null || !matches(reply, query)) {
                throw new IOException("mismatched reply over TCP");
            }
            return reply;
        }
    }

    /**
     * Whether a reply answers our query: same ID, QR set, opcode QUERY, exactly our one question.
     *
     * @param reply the reply
     * @param query our query
     * @return {@code true} if it matches
     */
    static boolean matches(Message reply, Message query) {
        Record asked = query.getQuestion();
        Record answered = reply.getQuestion();
        return reply.getHeader().getID() == query.getHeader().getID()
                && reply.getHeader().getFlag(Flags.QR)
                && reply.getHeader().getOpcode() == Opcode.QUERY
                && reply.getHeader().getCount(Section.QUESTION) == 1
                && answered != null
                && answered.getName().equals(asked.getName())
                && answered.getType() == asked.getType()
                && answered.getDClass() == asked.getDClass();
    }

    private static Message parse(byte[] buffer, int length) {
        try {
            return new Message(java.util.Arrays.copyOf(buffer, length));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static int remainingMillis(long deadlineNanos) throws SocketTimeoutException {
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }
}
