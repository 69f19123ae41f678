package kap.shim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The request a shim sends first: which tool, where, with which arguments.
 *
 * <p>Payload layout: u16 version, u8 flags, string tool, string cwd, u32 argument count, then each argument as a
 * string. Strings are a u32 byte length and UTF-8 without NUL characters.
 *
 * @param flags terminal flags ({@link Wire#FLAG_STDIN_TTY} and so on)
 * @param tool the tool's name, as the shim's file is named
 * @param cwd the shim's working directory in the capsule, absolute
 * @param args the arguments after the tool name, exactly as the shim received them
 */
public record Head(int flags, String tool, String cwd, List<String> args) {

    /**
     * Copies the arguments.
     */
    public Head {
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(cwd, "cwd");
        args = List.copyOf(args);
    }

    /**
     * Encodes the head, checking every limit first so that an oversized request is refused before it is sent.
     *
     * @return the payload of a {@link Wire#HEAD} frame
     * @throws WireException naming the argument and the limit it exceeds
     */
    public byte[] encode() throws WireException {
        if (args.size() > Wire.MAX_ARGS) {
            throw new WireException(args.size() + " arguments are over the limit of " + Wire.MAX_ARGS
                    + " (MAX_ARGS)");
        }
        Payload.Writer w = new Payload.Writer();
        w.u16(Wire.VERSION);
        w.u8(flags);
        w.bytes(checked("the tool name", tool, Wire.MAX_TOOL_BYTES, "MAX_TOOL_BYTES"));
        w.bytes(checked("the working directory", cwd, Wire.MAX_CWD_BYTES, "MAX_CWD_BYTES"));
        w.u32(args.size());
        for (int i = 0; i < args.size(); i++) {
            w.bytes(checked("argument " + (i + 1), args.get(i), Wire.MAX_ARG_BYTES, "MAX_ARG_BYTES"));
            if (w.size() > Wire.MAX_HEAD_BYTES) {
                throw new WireException("the arguments together are over the limit of " + Wire.MAX_HEAD_BYTES
                        + " bytes (MAX_HEAD_BYTES)");
            }
        }
        return w.toByteArray();
    }

    /**
     * Decodes and validates a head.
     *
     * @param payload the payload of a {@link Wire#HEAD} frame
     * @return the head
     * @throws WireException if the version is unknown or a field is malformed or over its limit
     */
    public static Head decode(byte[] payload) throws WireException {
        Payload.Reader r = new Payload.Reader(payload);
        int version = r.u16("the version");
        if (version != Wire.VERSION) {
            throw new WireException("protocol version " + version + " is not supported (this sidecar speaks "
                    + Wire.VERSION + "); update the shim runtime");
        }
        int flags = r.u8("the flags");
        String tool = r.string("the tool name", Wire.MAX_TOOL_BYTES, "MAX_TOOL_BYTES");
        if (tool.isEmpty()) {
            throw new WireException("the tool name is empty");
        }
        String cwd = r.string("the working directory", Wire.MAX_CWD_BYTES, "MAX_CWD_BYTES");
        long count = r.u32("the argument count");
        if (count > Wire.MAX_ARGS) {
            throw new WireException(count + " arguments are over the limit of " + Wire.MAX_ARGS + " (MAX_ARGS)");
        }
        List<String> args = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            args.add(r.string("argument " + (i + 1), Wire.MAX_ARG_BYTES, "MAX_ARG_BYTES"));
        }
        r.end();
        return new Head(flags, tool, cwd, args);
    }

    private static byte[] checked(String field, String value, int max, String limitName) throws WireException {
        if (value.indexOf('\0') >= 0) {
            throw new WireException(field + " contains a NUL character");
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > max) {
            throw new WireException(field + " is " + bytes.length + " bytes, over the limit of " + max + " ("
                    + limitName + ")");
        }
        return bytes;
    }
}
