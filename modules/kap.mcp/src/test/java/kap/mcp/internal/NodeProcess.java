package kap.mcp.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A Node script from {@code src/test/node} (the pinned MCP SDK and server-everything, installed by
 * {@code scripts/test-prereqs.sh}), run as a child process on loopback. Servers print {@code LISTENING <port>}.
 */
final class NodeProcess implements AutoCloseable {

    static final Path DIR = Path.of("src", "test", "node").toAbsolutePath();

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final CountDownLatch listening = new CountDownLatch(1);
    private volatile int port;

    private NodeProcess(Process process) {
        this.process = process;
        Thread.ofVirtual().start(this::pump);
    }

    /** Starts a server script and waits until it listens. */
    static NodeProcess server(String script, String... args) throws IOException, InterruptedException {
        NodeProcess p = new NodeProcess(start(script, args));
        if (!p.listening.await(20, TimeUnit.SECONDS)) {
            p.close();
            throw new IOException(script + " did not start listening; output: " + p.lines);
        }
        return p;
    }

    /** Runs a script to its end and returns its last stdout line. */
    static String run(long timeoutSeconds, String script, String... args) throws IOException, InterruptedException {
        NodeProcess p = new NodeProcess(start(script, args));
        try {
            if (!p.process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IOException(script + " did not finish in " + timeoutSeconds + " s; output: " + p.lines);
            }
            Thread.sleep(50);
            return p.lines.isEmpty() ? "" : p.lines.getLast();
        } finally {
            p.close();
        }
    }

    private static Process start(String script, String... args) throws IOException {
        if (!Files.isDirectory(DIR.resolve("node_modules"))) {
            throw new IOException("the MCP test counterparts are not installed: run scripts/test-prereqs.sh (or "
                    + DIR.resolve("install.sh") + ")");
        }
        List<String> cmd = new ArrayList<>(List.of("node", DIR.resolve(script).toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(cmd).directory(DIR.toFile()).redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        // the child talks to loopback only; make sure no proxy variable from the environment sends it elsewhere
        for (String v : List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy")) {
            b.environment().remove(v);
        }
        return b.start();
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (lines.size() < 10_000) {
                    lines.add(line);
                }
                if (line.startsWith("LISTENING ")) {
                    port = Integer.parseInt(line.substring(10).trim());
                    listening.countDown();
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    int port() {
        return port;
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
