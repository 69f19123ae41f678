package kap.dns;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.Optional;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Sends hand-made packets to the forwarder, for what dig will not send.
 */
final class RawClient {

    private RawClient() {
    }

    /**
     * A well-formed query in wire form.
     *
     * @param id message ID
     * @param name name
     * @param type type
     * @return wire bytes
     */
    static byte[] query(int id, String name, int type) {
        Message m = Message.newQuery(Record.newRecord(Name.fromConstantString(name + "."), type, DClass.IN));
        m.getHeader().setID(id);
        return m.toWire();
    }

    static byte[] query(int id, String name) {
        return query(id, name, Type.A);
    }

    /**
     * Sends one datagram and waits briefly for a reply.
     *
     * @param port forwarder port
     * @param packet bytes
     * @return the reply, or empty if none came within 700 ms
     */
    static Optional<byte[]> udp(int port, byte[] packet) throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(700);
            socket.send(new DatagramPacket(packet, packet.length, InetAddress.getLoopbackAddress(), port));
            byte[] buffer = new byte[65535];
            DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(reply);
                return Optional.of(Arrays.copyOf(buffer, reply.getLength()));
            } catch (SocketTimeoutException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * Sends one length-prefixed message over a new TCP connection and reads one reply.
     *
     * @param port forwarder port
     * @param packet bytes
     * @return the reply, or empty if the connection closed first
     */
    static Optional<byte[]> tcp(int port, byte[] packet) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(3000);
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {(byte) (packet.length >>> 8), (byte) packet.length});
            out.write(packet);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int length = in.readUnsignedShort();
            byte[] reply = new byte[length];
            in.readFully(reply);
            return Optional.of(reply);
        } catch (java.io.EOFException e) {
            return Optional.empty();
        }
    }

    static int rcode(byte[] reply) {
        return reply[3] & 0x0f;
    }

    static int id(byte[] reply) {
        return Wire.u16(reply, 0);
    }
}
