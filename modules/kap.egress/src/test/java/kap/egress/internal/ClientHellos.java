package kap.egress.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/** Real TLS ClientHellos from the JDK's TLS stack, and ways to cut them up the way attackers and middleboxes do. */
final class ClientHellos {

    private ClientHellos() {
    }

    /** The ClientHello record a JDK client sends for this server name; {@code null} for none. */
    static byte[] real(String serverName) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        SSLEngine engine = serverName == null ? context.createSSLEngine() : context.createSSLEngine(serverName, 443);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
        engine.setSSLParameters(parameters);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] record = new byte[out.remaining()];
        out.get(record);
        return record;
    }

    /** The same handshake message re-framed as two TLS records, split {@code at} bytes into the message. */
    static byte[] splitIntoTwoRecords(byte[] record, int at) {
        byte[] message = Arrays.copyOfRange(record, 5, record.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeRecord(out, record, Arrays.copyOfRange(message, 0, at));
        writeRecord(out, record, Arrays.copyOfRange(message, at, message.length));
        return out.toByteArray();
    }

    private static void writeRecord(ByteArrayOutputStream out, byte[] template, byte[] fragment) {
        out.write(template[0]);
        out.write(template[1]);
        out.write(template[2]);
        out.write(fragment.length >> 8);
        out.write(fragment.length & 0xff);
        out.writeBytes(fragment);
    }
}
