package kap.shim;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads and writes the fields of a payload: unsigned 16- and 32-bit big-endian integers and strings (a 32-bit byte
 * length, then UTF-8). Reading checks every length against what is left and against the field's own limit.
 */
final class Payload {

    private Payload() {
    }

    /** Builds a payload. */
    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

        void u8(int v) {
            out.write(v);
        }

        void u16(int v) {
            out.write(v >>> 8);
            out.write(v);
        }

        void u32(int v) {
            out.write(v >>> 24);
            out.write(v >>> 16);
            out.write(v >>> 8);
            out.write(v);
        }

        void bytes(byte[] b) {
            u32(b.length);
            out.write(b, 0, b.length);
        }

        int size() {
            return out.size();
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }

    /** Reads a payload, strictly. */
    static final class Reader {
        private final byte[] data;
        private int at;

        Reader(byte[] data) {
            this.data = data;
        }

        int u8(String field) throws WireException {
            need(1, field);
            return data[at++] & 0xff;
        }

        int u16(String field) throws WireException {
            need(2, field);
            int v = ((data[at] & 0xff) << 8) | (data[at + 1] & 0xff);
            at += 2;
            return v;
        }

        long u32(String field) throws WireException {
            need(4, field);
            long v = ((data[at] & 0xffL) << 24) | ((data[at + 1] & 0xff) << 16) | ((data[at + 2] & 0xff) << 8)
                    | (data[at + 3] & 0xff);
            at += 4;
            return v;
        }

        String string(String field, int max, String limitName) throws WireException {
            long length = u32(field);
            if (length > max) {
                throw new WireException(field + " is " + length + " bytes, over the limit of " + max + " ("
                        + limitName + ")");
            }
            need((int) length, field);
            String s;
            try {
                s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(data, at, (int) length)).toString();
            } catch (CharacterCodingException e) {
                throw new WireException(field + " is not valid UTF-8");
            }
            at += (int) length;
            if (s.indexOf('\0') >= 0) {
                throw new WireException(field + " contains a NUL character");
            }
            return s;
        }

        void end() throws WireException {
            if (at != data.length) {
                throw new WireException((data.length - at) + " unexpected bytes after the last field");
            }
        }

        private void need(int n, String field) throws WireException {
            if (n < 0 || data.length - at < n) {
                throw new WireException("payload ends inside " + field);
            }
        }
    }
}
