package kap.remote;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A capsule's Claude Code sessions, read and steered through its {@link AgentShell}: the session list, a timeline
 * read from an offset (so a live view reads only what is new), whether the agent is running, cancel, and a follow-up
 * prompt.
 */
final class AgentSessions {

    /** Session ids: what Claude Code writes (UUIDs), nothing a shell or a path could misread. */
    static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9-]{1,128}");
    /** Bytes of a session read at once. */
    static final int MAX_READ = 2 * 1024 * 1024;
    /** A follow-up prompt's longest length. */
    static final int MAX_MESSAGE = 8 * 1024;

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final AgentShell shell;
    private final List<String> roots;

    AgentSessions(AgentShell shell, List<String> roots) {
        this.shell = shell;
        this.roots = List.copyOf(roots);
    }

    /** The sessions, newest first. */
    List<SessionInfo> list() throws IOException {
        AgentShell.ShellResult r = run(AgentScripts.LIST, roots);
        List<SessionInfo> sessions = new ArrayList<>();
        String[] lines = r.stdout().split("\n", -1);
        int i = 0;
        while (i < lines.length) {
            String header = lines[i++];
            if (!header.startsWith("=") || header.indexOf('\t') < 0) {
                continue;
            }
            long count = parseLong(header.substring(1, header.indexOf('\t')));
            String path = header.substring(header.indexOf('\t') + 1);
            List<String> head = new ArrayList<>();
            while (i < lines.length && !lines[i].equals("-")) {
                head.add(lines[i++]);
            }
            i++;
            List<String> tail = new ArrayList<>();
            while (i < lines.length && !lines[i].equals(".")) {
                tail.add(lines[i++]);
            }
            i++;
            String file = path.substring(path.lastIndexOf('/') + 1);
            String id = file.endsWith(".jsonl") ? file.substring(0, file.length() - 6) : "";
            if (SESSION_ID.matcher(id).matches()) {
                String[] parts = path.split("/");
                String dir = parts.length >= 2 ? parts[parts.length - 2] : "";
                SessionInfo info = Timeline.info(id, dir, count, head, tail);
                sessions.add(Projects.ofPath(path).equals("unknown") ? new SessionInfo(id, "unknown", info.task(),
                        info.branch(), info.cwd(), info.worktree(), info.lastEvent(), count) : info);
            }
        }
        return Timeline.sorted(sessions);
    }

    /**
     * Reads a session from a byte offset; a negative offset reads its last {@link #MAX_READ} bytes.
     *
     * @return the complete lines read and the offset after the last one
     */
    Chunk read(String id, long offset) throws IOException {
        List<String> args = new ArrayList<>(List.of(Long.toString(offset), Integer.toString(MAX_READ), id));
        args.addAll(roots);
        AgentShell.ShellResult r = run(AgentScripts.READ, args);
        String out = r.stdout();
        int firstNewline = out.indexOf('\n');
        long size = parseLong(firstNewline < 0 ? out : out.substring(0, firstNewline));
        byte[] bytes = firstNewline < 0 ? new byte[0]
                : out.substring(firstNewline + 1).getBytes(StandardCharsets.UTF_8);
        long start = offset < 0 ? Math.max(0, size - bytes.length) : offset;
        int last = lastNewline(bytes);
        String text = new String(bytes, 0, last + 1, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n")));
        if (offset < 0 && start > 0 && !lines.isEmpty()) {
            lines.removeFirst();
        }
        lines.removeIf(String::isEmpty);
        return new Chunk(lines, start + last + 1, size);
    }

    boolean running(String id) throws IOException {
        List<String> args = new ArrayList<>(List.of(id));
        args.addAll(roots);
        return run(AgentScripts.STATUS, args).stdout().strip().equals("running");
    }

    /** Interrupts the agent working in the session's directory; empty if none runs. */
    Optional<String> cancel(Optional<String> cwd) throws IOException {
        String out = run(AgentScripts.CANCEL, List.of(cwd.orElse(""))).stdout().strip();
        return out.startsWith("cancelled ") ? Optional.of(out.substring(10)) : Optional.empty();
    }

    /** Resumes the session with a prompt; returns the new agent's pid. */
    String message(String id, String message, Optional<String> cwd) throws IOException {
        AgentShell.ShellResult r = shell.run(argv(AgentScripts.MESSAGE, List.of(cwd.orElse(""), id, message)),
                TIMEOUT);
        if (r.exitCode() != 0 || !r.stdout().strip().startsWith("started ")) {
            throw new ApiException(502, "could not start the agent: " + firstLine(r.stderr()));
        }
        return r.stdout().strip().substring(8);
    }

    private AgentShell.ShellResult run(String script, List<String> args) throws IOException {
        AgentShell.ShellResult r = shell.run(argv(script, args), TIMEOUT);
        if (r.exitCode() == 3) {
            throw ApiException.notFound("session not found");
        }
        if (r.exitCode() != 0) {
            throw new ApiException(502, "the capsule's shell failed: " + firstLine(r.stderr()));
        }
        return r;
    }

    private static List<String> argv(String script, List<String> args) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", script, "kap"));
        argv.addAll(args);
        return argv;
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String firstLine(String s) {
        String line = s.strip().lines().findFirst().orElse("no output");
        return line.length() > 200 ? line.substring(0, 200) : line;
    }

    /** Complete lines read, the offset after them, and the file's size. */
    record Chunk(List<String> lines, long next, long size) {
    }
}
