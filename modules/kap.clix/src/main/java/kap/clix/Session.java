package kap.clix;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;

import kap.policy.AuditEvent;
import kap.policy.CliMode;
import kap.policy.CliTool;
import kap.policy.Decision;
import kap.policy.Policy;
import kap.policy.Reasons;
import kap.shim.DirectGrant;
import kap.shim.Frame;
import kap.shim.FrameReader;
import kap.shim.FrameWriter;
import kap.shim.Head;
import kap.shim.OversizedFrameException;
import kap.shim.Wire;
import kap.shim.WireException;

/**
 * One shim connection: read the head, decide, record the audit event, and either refuse, hand over direct-mode
 * credentials, or run the tool.
 */
final class Session {

    /** Time for the shim to send its head. */
    static final Duration HEAD_TIMEOUT = Duration.ofSeconds(10);
    /** How long a finished connection waits for the shim to close its side. */
    static final Duration LINGER = Duration.ofSeconds(2);
    /** Most of an oversized frame read and dropped so that the shim can read the refusal. */
    static final long MAX_DISCARD_BYTES = 4L * 1024 * 1024;

    private static final System.Logger LOG = System.getLogger("kap.clix");

    private final ClixServer server;
    private final Socket socket;
    private final String client;
    private final long started = System.nanoTime();

    Session(ClixServer server, Socket socket) {
        this.server = server;
        this.socket = socket;
        this.client = socket.getInetAddress().getHostAddress();
    }

    void serve() {
        try (socket) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) HEAD_TIMEOUT.toMillis());
            FrameReader reader = new FrameReader(socket.getInputStream());
            FrameWriter writer = new FrameWriter(socket.getOutputStream());
            Head head;
            // a deadline for the whole head: a read timeout alone lets a peer trickle one byte at a time
            Future<?> deadline = server.closeLater(socket, HEAD_TIMEOUT);
            try {
                head = readHead(reader);
            } catch (ClixException e) {
                audit("(invalid request)", Decision.denyByDefault(e.reason()), Map.of("error", e.getMessage()));
                Replies.refuse(writer, e);
                linger(reader);
                return;
            } finally {
                deadline.cancel(false);
            }
            if (head == null) {
                return;
            }
            socket.setSoTimeout(0);
            if (!handle(head, reader, writer)) {
                linger(reader);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "[clix] connection from " + client + " ended: " + e);
        }
    }

    /** Too many commands at once: read the head (so the refusal is not lost to a reset) and refuse. */
    void refuseBusy() {
        try (socket) {
            socket.setSoTimeout((int) HEAD_TIMEOUT.toMillis());
            FrameReader reader = new FrameReader(socket.getInputStream());
            FrameWriter writer = new FrameWriter(socket.getOutputStream());
            String subject = "(busy)";
            Future<?> deadline = server.closeLater(socket, HEAD_TIMEOUT);
            try {
                Head head = readHead(reader);
                if (head == null) {
                    return;
                }
                subject = AuditSubject.of(head.tool(), head.args());
            } catch (ClixException e) {
                subject = "(invalid request)";
            } finally {
                deadline.cancel(false);
            }
            ClixException busy = ClixException.busy(ClixServer.MAX_COMMANDS + " commands are already running on the"
                    + " kap sidecar (MAX_COMMANDS); try again when some have finished");
            audit(subject, Decision.denyByDefault(busy.reason()), Map.of());
            Replies.refuse(writer, busy);
            linger(reader);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "[clix] connection from " + client + " ended: " + e);
        }
    }

    private Head readHead(FrameReader reader) throws IOException, ClixException {
        Frame frame;
        try {
            frame = reader.next();
        } catch (OversizedFrameException e) {
            reader.discard(Math.min(e.length(), MAX_DISCARD_BYTES));
            throw ClixException.invalidRequest("the request is too large: " + e.getMessage());
        } catch (WireException e) {
            throw ClixException.invalidRequest("the request is malformed: " + e.getMessage());
        }
        if (frame == null) {
            return null;
        }
        if (frame.type() != Wire.HEAD) {
            throw ClixException.invalidRequest("the request must start with a head frame");
        }
        try {
            return Head.decode(frame.payload());
        } catch (WireException e) {
            throw ClixException.invalidRequest("the request is refused: " + e.getMessage());
        }
    }

    /**
     * Handles a request.
     *
     * @return {@code true} if a tool ran (its input thread then drained the connection)
     */
    private boolean handle(Head head, FrameReader reader, FrameWriter writer) throws IOException {
        Policy policy = server.policy().current();
        String subject = AuditSubject.of(head.tool(), head.args());
        Optional<CliTool> tool = policy.config().cli().flatMap(c -> c.tool(head.tool()));
        Optional<Preset> preset = tool.flatMap(Presets::of);
        if (tool.isPresent() && tool.get().mode() == CliMode.DIRECT) {
            Map<String, String> env = ToolEnvironment.direct(tool.get(), preset.orElse(Preset.NONE),
                    EnvFile.read(server.settings().envFile()), server.sidecarEnv());
            byte[] grant;
            try {
                grant = new DirectGrant(env).encode();
            } catch (WireException e) {
                ClixException refused = ClixException.misconfigured("the variables of " + head.tool() + " cannot be"
                        + " handed over: " + e.getMessage());
                audit(subject, Decision.denyByDefault(refused.reason()), Map.of("mode", "direct"));
                Replies.refuse(writer, refused);
                return false;
            }
            audit(subject, Decision.pass("direct mode"), Map.of("mode", "direct", "variables", env.size()));
            writer.write(Wire.DIRECT, grant);
            return false;
        }
        CommandJudge.Judgement judgement = tool.isEmpty()
                ? new CommandJudge.Judgement(Decision.denyByDefault(Reasons.NOT_CONFIGURED), Optional.empty())
                : CommandJudge.judge(policy, tool.get(), preset, head.args());
        Decision decision = judgement.decision();
        if (!decision.allowed()) {
            audit(subject, decision, Map.of("mode", "proxy"));
            Optional<Path> file = policy.config().sources().stream().findFirst();
            Replies.refuse(writer, Denials.message(head.tool(), subject, judgement, preset, file, head.args()),
                    Wire.EXIT_DENIED);
            return false;
        }
        try {
            run(tool.get(), preset.orElse(Preset.NONE), head, reader, writer, subject, decision);
            return true;
        } catch (ClixException e) {
            // a tool missing on the sidecar was still allowed; every other refusal here is a deny of its own
            Decision recorded = ClixException.NOT_INSTALLED.equals(e.reason()) ? decision
                    : Decision.denyByDefault(e.reason());
            audit(subject, recorded, Map.of("mode", "proxy", "error", e.getMessage(), "exit_code", e.exitCode()));
            Replies.refuse(writer, e);
            return false;
        }
    }

    /**
     * After the last frame: half-close, then read and drop what the shim still sends (its stdin) until it closes,
     * within {@link #LINGER} and {@link #MAX_DISCARD_BYTES}, so the refusal is not lost to a reset.
     */
    private void linger(FrameReader reader) {
        Future<?> deadline = server.closeLater(socket, LINGER);
        try {
            socket.shutdownOutput();
            reader.discard(MAX_DISCARD_BYTES);
        } catch (IOException e) {
            // the shim is gone, or the deadline closed the connection: either way we are done
        } finally {
            deadline.cancel(false);
        }
    }

    private void run(CliTool tool, Preset preset, Head head, FrameReader reader, FrameWriter writer, String subject,
                     Decision decision) throws IOException, ClixException {
        Path cwd = server.workspace().resolve(head.cwd());
        ToolEnvironment env = ToolEnvironment.build(tool, preset, server.settings(),
                EnvFile.read(server.settings().envFile()), server.sidecarEnv());
        List<String> command = new ArrayList<>();
        command.add(ToolLocator.find(tool.name(), server.settings().toolPath()).toString());
        command.addAll(env.fixedArgs());
        command.addAll(head.args());
        checkEncodable(command);
        Execution execution = Execution.start(command, env.env(), cwd, tool.maxOutputBytes(), env.secrets(),
                writer, this::abort);
        RunResult result = null;
        server.running(execution, true);
        try {
            result = execution.run(reader, tool.timeout());
            audit(subject, decision, completion(result));
            result.reply(writer);
        } finally {
            if (result == null) {
                audit(subject, decision, Map.of("mode", "proxy", "stopped", "connection failed"));
            }
            // counted as running until the shim has its exit code, so a shutdown does not close it first
            server.running(execution, false);
        }
        socket.shutdownOutput();
        execution.awaitInputEnd(LINGER);
    }

    private static Map<String, Object> completion(RunResult result) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("mode", "proxy");
        detail.put("exit_code", result.exitCode());
        if (result.stop() != Execution.Stop.NONE) {
            detail.put("stopped", result.stop().name().toLowerCase(java.util.Locale.ROOT));
        }
        detail.put("bytes_out", result.bytesOut());
        detail.put("bytes_err", result.bytesErr());
        if (result.redactions() > 0) {
            detail.put("redacted", result.redactions());
        }
        return detail;
    }

    /** Arguments reach the tool in the platform charset; one it cannot encode would silently change. */
    private static void checkEncodable(List<String> command) throws ClixException {
        CharsetEncoder encoder = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8")).newEncoder();
        for (String arg : command) {
            if (!encoder.canEncode(arg)) {
                throw ClixException.misconfigured("the sidecar's locale (" + encoder.charset() + ") cannot pass this"
                        + " command's arguments unchanged; the sidecar must run with a UTF-8 locale (LANG=C.UTF-8)");
            }
        }
    }

    private void abort() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing is all we wanted
        }
    }

    private void audit(String subject, Decision decision, Map<String, Object> detail) {
        server.audit(subject, decision, client, started, detail);
    }
}
