package kap.clix;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Replaces secret values in one output stream with {@code [REDACTED:NAME]}, also when a value is split across
 * chunks. It holds back only a tail that could still begin a secret, so ordinary output (a line ending in a newline)
 * passes at once. Not thread-safe: one redactor per stream.
 */
final class Redactor {

    /**
     * One value to hide.
     *
     * @param name the variable's name, shown in the replacement
     * @param value the value's bytes, not empty
     */
    record Secret(String name, byte[] value) {
    }

    private final Secret[] secrets;
    private final byte[][] replacements;
    private byte[] carry = new byte[0];
    private long count;

    Redactor(List<Secret> secrets) {
        // longest first, so that a secret containing another is replaced whole
        this.secrets = secrets.stream().filter(s -> s.value().length > 0)
                .sorted(Comparator.comparingInt((Secret s) -> s.value().length).reversed()).toArray(Secret[]::new);
        this.replacements = Arrays.stream(this.secrets)
                .map(s -> ("[REDACTED:" + s.name() + "]").getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }

    /**
     * Takes the next chunk and returns what can be written now.
     *
     * @param chunk bytes
     * @param offset start
     * @param length count
     * @return bytes to write, possibly empty
     */
    byte[] feed(byte[] chunk, int offset, int length) {
        if (secrets.length == 0) {
            return Arrays.copyOfRange(chunk, offset, offset + length);
        }
        byte[] data = new byte[carry.length + length];
        System.arraycopy(carry, 0, data, 0, carry.length);
        System.arraycopy(chunk, offset, data, carry.length, length);
        return scan(data, false);
    }

    /**
     * The end of the stream: what was held back is not a secret after all.
     *
     * @return the held bytes
     */
    byte[] finish() {
        return secrets.length == 0 ? new byte[0] : scan(carry, true);
    }

    /** Replaces whole secrets; unless this is the last data, keeps a tail that may begin one in {@link #carry}. */
    private byte[] scan(byte[] data, boolean last) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length);
        int i = 0;
        scan:
        while (i < data.length) {
            for (int s = 0; s < secrets.length; s++) {
                byte[] v = secrets[s].value();
                int available = Math.min(v.length, data.length - i);
                if (!regionEquals(data, i, v, available) || (last && available < v.length)) {
                    continue;
                }
                if (available < v.length) {
                    // the rest may arrive in the next chunk: hold from here
                    break scan;
                }
                out.write(replacements[s], 0, replacements[s].length);
                count++;
                i += v.length;
                continue scan;
            }
            out.write(data[i]);
            i++;
        }
        carry = Arrays.copyOfRange(data, i, data.length);
        return out.toByteArray();
    }

    /**
     * How many values were replaced.
     *
     * @return count
     */
    long count() {
        return count;
    }

    private static boolean regionEquals(byte[] data, int at, byte[] value, int length) {
        return Arrays.equals(data, at, at + length, value, 0, length);
    }
}
