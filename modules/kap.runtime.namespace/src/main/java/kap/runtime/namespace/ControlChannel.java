package kap.runtime.namespace;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import kap.runtime.namespace.ControlMessage.Exec;
import kap.runtime.namespace.ControlMessage.ExecResult;
import kap.runtime.namespace.ControlMessage.Exit;
import kap.runtime.namespace.ControlMessage.Failed;
import kap.runtime.namespace.ControlMessage.Plan;
import kap.runtime.namespace.ControlMessage.Signal;
import kap.runtime.namespace.ControlMessage.Started;

/**
 * One control connection. A frame is a type byte, a 4-byte big-endian length and the payload; a string is a 4-byte
 * length and UTF-8. Every length is checked against {@link #MAX_FRAME} before anything is read, so neither side can
 * make the other allocate without bound. Sends are serialised; one thread reads.
 */
final class ControlChannel implements AutoCloseable {

    /**
     * The largest frame: a plan holds the command line and the environment, which the kernel caps at a few MiB; an
     * {@link ExecResult} two streams of at most {@link ExecResult#MAX_OUTPUT} each.
     */
    static final int MAX_FRAME = 2 * ExecResult.MAX_OUTPUT + 64 * 1024;

    private final SocketChannel channel;
    private final DataInputStream in;
    private final OutputStream out;

    ControlChannel(SocketChannel channel) {
        this.channel = channel;
        this.in = new DataInputStream(Channels.newInputStream(channel));
        this.out = Channels.newOutputStream(channel);
    }

    synchronized void send(ControlMessage message) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(body);
        int type = switch (message) {
            case Plan p -> {
                writePlan(d, p);
                yield 'P';
            }
            case Started s -> {
                d.writeLong(s.pid());
                yield 'S';
            }
            case Signal s -> {
                d.writeInt(s.number());
                yield 'K';
            }
            case Exit e -> {
                d.writeInt(e.code());
                yield 'X';
            }
            case Failed f -> {
                d.writeInt(f.code());
                writeString(d, f.message());
                yield 'F';
            }
            case Exec e -> {
                d.writeInt(e.id());
                writeStrings(d, e.argv());
                d.writeLong(e.timeoutMillis());
                yield 'E';
            }
            case ExecResult r -> {
                d.writeInt(r.id());
                d.writeInt(r.exitCode());
                d.writeBoolean(r.timedOut());
                writeBytes(d, r.stdout());
                writeBytes(d, r.stderr());
                yield 'R';
            }
        };
        DataOutputStream frame = new DataOutputStream(out);
        frame.writeByte(type);
        frame.writeInt(body.size());
        body.writeTo(frame);
        frame.flush();
    }

    /**
     * The next message.
     *
     * @return the message, or empty at the end of the stream
     * @throws IOException if the stream breaks or a frame is malformed
     */
    Optional<ControlMessage> receive() throws IOException {
        int type = in.read();
        if (type < 0) {
            return Optional.empty();
        }
        int length = in.readInt();
        if (length < 0 || length > MAX_FRAME) {
            throw new IOException("control frame of " + length + " bytes");
        }
        byte[] payload = in.readNBytes(length);
        if (payload.length != length) {
            throw new EOFException("control frame cut short");
        }
        DataInputStream d = new DataInputStream(new java.io.ByteArrayInputStream(payload));
        ControlMessage message;
        try {
            message = switch (type) {
                case 'P' -> readPlan(d);
                case 'S' -> new Started(d.readLong());
                case 'K' -> new Signal(d.readInt());
                case 'X' -> new Exit(d.readInt());
                case 'F' -> new Failed(d.readInt(), readString(d));
                case 'E' -> new Exec(d.readInt(), readStrings(d), d.readLong());
                case 'R' -> new ExecResult(d.readInt(), d.readInt(), d.readBoolean(), readBytes(d), readBytes(d));
                default -> throw new IOException("unknown control frame type " + type);
            };
        } catch (IllegalArgumentException e) {
            // a well-formed frame with values beyond the limits
            throw new IOException("bad control frame " + (char) type + ": " + e.getMessage());
        }
        if (d.available() != 0) {
            throw new IOException("trailing bytes in control frame " + (char) type);
        }
        return Optional.of(message);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static void writePlan(DataOutputStream d, Plan p) throws IOException {
        writeString(d, p.id());
        writeString(d, p.workdir().toString());
        writeStrings(d, p.command());
        writeStrings(d, p.environment());
        MountPlan m = p.mounts();
        writeStrings(d, m.masks().stream().map(Path::toString).toList());
        writeStrings(d, m.readOnly().stream().map(Path::toString).toList());
        writeString(d, m.runtimeDir().toString());
        writeString(d, m.resolvSource().toString());
        writeString(d, m.resolvTarget().map(Path::toString).orElse(""));
        d.writeBoolean(p.allowUnixSockets());
        writeStrings(d, p.services().stream().map(Service::name).toList());
    }

    private static Plan readPlan(DataInputStream d) throws IOException {
        String id = readString(d);
        Path workdir = Path.of(readString(d));
        List<String> command = readStrings(d);
        List<String> environment = readStrings(d);
        List<Path> masks = readStrings(d).stream().map(Path::of).toList();
        List<Path> readOnly = readStrings(d).stream().map(Path::of).toList();
        Path runtimeDir = Path.of(readString(d));
        Path resolvSource = Path.of(readString(d));
        String target = readString(d);
        MountPlan mounts = new MountPlan(masks, readOnly, runtimeDir, resolvSource,
                target.isEmpty() ? Optional.empty() : Optional.of(Path.of(target)));
        boolean allowUnixSockets = d.readBoolean();
        return new Plan(id, workdir, command, environment, mounts, allowUnixSockets, readServices(d));
    }

    private static Set<Service> readServices(DataInputStream d) throws IOException {
        int count = count(d);
        Set<Service> services = EnumSet.noneOf(Service.class);
        for (int i = 0; i < count; i++) {
            String name = readString(d);
            try {
                services.add(Service.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new IOException("unknown service " + name);
            }
        }
        return services;
    }

    private static void writeStrings(DataOutputStream d, List<String> values) throws IOException {
        d.writeInt(values.size());
        for (String v : values) {
            writeString(d, v);
        }
    }

    private static List<String> readStrings(DataInputStream d) throws IOException {
        int count = count(d);
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(readString(d));
        }
        return values;
    }

    private static void writeString(DataOutputStream d, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        d.writeInt(bytes.length);
        d.write(bytes);
    }

    private static String readString(DataInputStream d) throws IOException {
        return new String(readBytes(d), StandardCharsets.UTF_8);
    }

    private static void writeBytes(DataOutputStream d, byte[] bytes) throws IOException {
        d.writeInt(bytes.length);
        d.write(bytes);
    }

    private static byte[] readBytes(DataInputStream d) throws IOException {
        int length = d.readInt();
        if (length < 0 || length > d.available()) {
            throw new IOException("bad string length " + length);
        }
        return d.readNBytes(length);
    }

    private static int count(DataInputStream in) throws IOException {
        int count = in.readInt();
        // every entry takes at least four bytes, so a count beyond what is left is a lie
        if (count < 0 || count > in.available()) {
            throw new IOException("bad count " + count);
        }
        return count;
    }
}
