package kap.shim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The head codec: a head survives a round trip byte for byte, every limit is enforced on both sides with the limit's
 * name in the message, and malformed payloads are refused, never half-read.
 */
class HeadTest {

    @Test
    void aHeadRoundTripsExactly() throws Exception {
        Head head = new Head(Wire.FLAG_STDOUT_TTY, "gh", "/workspaces/p/sub",
                List.of("pr", "view", "", "a b", "$(id);rm -rf /", "é✓", "--repo=o/r"));
        assertThat(Head.decode(head.encode()), is(head));
    }

    record Limit(String name, Head head, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Limit> limits() {
        String big = "a".repeat(Wire.MAX_ARG_BYTES + 1);
        List<String> many = Collections.nCopies(Wire.MAX_ARGS + 1, "x");
        List<String> wide = Collections.nCopies(5, "a".repeat(Wire.MAX_ARG_BYTES - 10));
        return Stream.of(
                new Limit("an argument over MAX_ARG_BYTES", new Head(0, "gh", "/", List.of("ok", big)),
                        "argument 2 is 131073 bytes, over the limit of 131072 (MAX_ARG_BYTES)"),
                new Limit("a 1 MB argument", new Head(0, "gh", "/", List.of("a".repeat(1024 * 1024))),
                        "(MAX_ARG_BYTES)"),
                new Limit("too many arguments", new Head(0, "gh", "/", many), "(MAX_ARGS)"),
                new Limit("arguments together over MAX_HEAD_BYTES", new Head(0, "gh", "/", wide), "(MAX_HEAD_BYTES)"),
                new Limit("a long tool name", new Head(0, "g".repeat(65), "/", List.of()), "(MAX_TOOL_BYTES)"),
                new Limit("a long working directory", new Head(0, "gh", "/" + "d".repeat(4096), List.of()),
                        "(MAX_CWD_BYTES)"),
                new Limit("a NUL in an argument", new Head(0, "gh", "/", List.of("a\0b")), "NUL"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("limits")
    void theShimRefusesBeforeSending(Limit c) {
        WireException e = assertThrows(WireException.class, c.head()::encode);
        assertThat(e.getMessage(), containsString(c.message()));
    }

    record Malformed(String name, byte[] payload, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Malformed> malformed() {
        return Stream.of(
                new Malformed("empty", new byte[0], "payload ends inside the version"),
                new Malformed("another version", payload(2, 0, "gh", "/", List.of()), "protocol version 2"),
                new Malformed("an empty tool", payload(1, 0, "", "/", List.of()), "tool name is empty"),
                new Malformed("a string longer than the payload", truncated(payload(1, 0, "gh", "/", List.of("abc"))),
                        "payload ends inside argument 1"),
                new Malformed("an argument count beyond MAX_ARGS", countOnly(Wire.MAX_ARGS + 1), "(MAX_ARGS)"),
                new Malformed("an argument over MAX_ARG_BYTES",
                        payload(1, 0, "gh", "/", List.of("a".repeat(Wire.MAX_ARG_BYTES + 1))), "(MAX_ARG_BYTES)"),
                new Malformed("invalid UTF-8", rawArg(new byte[] {(byte) 0xC3, 0x28}), "not valid UTF-8"),
                new Malformed("a NUL", rawArg(new byte[] {'a', 0, 'b'}), "NUL"),
                new Malformed("trailing bytes", append(payload(1, 0, "gh", "/", List.of()), (byte) 1),
                        "unexpected bytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void theSidecarRefusesAMalformedHead(Malformed c) {
        WireException e = assertThrows(WireException.class, () -> Head.decode(c.payload()));
        assertThat(e.getMessage(), containsString(c.message()));
    }

    static byte[] payload(int version, int flags, String tool, String cwd, List<String> args) {
        List<byte[]> raw = new ArrayList<>();
        args.forEach(a -> raw.add(a.getBytes(StandardCharsets.UTF_8)));
        return build(version, flags, tool, cwd, raw.size(), raw);
    }

    private static byte[] build(int version, int flags, String tool, String cwd, int count, List<byte[]> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(version >>> 8);
        out.write(version);
        out.write(flags);
        str(out, tool.getBytes(StandardCharsets.UTF_8));
        str(out, cwd.getBytes(StandardCharsets.UTF_8));
        u32(out, count);
        args.forEach(a -> str(out, a));
        return out.toByteArray();
    }

    private static byte[] rawArg(byte[] arg) {
        return build(1, 0, "gh", "/", 1, List.of(arg));
    }

    private static byte[] countOnly(int count) {
        return build(1, 0, "gh", "/", count, List.of());
    }

    private static byte[] truncated(byte[] p) {
        return java.util.Arrays.copyOf(p, p.length - 1);
    }

    private static byte[] append(byte[] p, byte b) {
        byte[] r = java.util.Arrays.copyOf(p, p.length + 1);
        r[p.length] = b;
        return r;
    }

    private static void str(ByteArrayOutputStream out, byte[] b) {
        u32(out, b.length);
        out.writeBytes(b);
    }

    private static void u32(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }
}
