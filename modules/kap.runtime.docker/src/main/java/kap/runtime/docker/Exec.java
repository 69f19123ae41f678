package kap.runtime.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;

import kap.cli.spi.ExecRequest;

/**
 * Runs a command in the app container with the caller's streams ({@link ExecStream}), and returns its exit code. With a terminal, the
 * caller's terminal is switched to raw mode for the session and the remote one is sized to it.
 */
final class Exec {

    /** A login shell: bash where the image has it. */
    static final List<String> SHELL = List.of("/bin/sh", "-c",
            "if [ -x /bin/bash ]; then exec /bin/bash -l; else exec /bin/sh -l; fi");

    private static final Pattern CONTAINER_ENV = Pattern.compile("\\$\\{containerEnv:([A-Za-z_][A-Za-z0-9_]*)}");

    private final DockerClient docker;
    private final String host;

    Exec(DockerClient docker, String host) {
        this.docker = docker;
        this.host = host;
    }

    int run(InspectContainerResponse app, ExecRequest request, InputStream in, OutputStream out, OutputStream err)
            throws IOException {
        Map<String, String> labels = app.getConfig().getLabels();
        List<String> command = request.command().isEmpty() ? SHELL : request.command();
        var create = docker.execCreateCmd(app.getId()).withCmd(command.toArray(String[]::new))
                .withAttachStdin(request.stdin()).withAttachStdout(true).withAttachStderr(true)
                .withTty(request.tty()).withEnv(environment(app, labels.get(Names.EXEC_ENV), request.tty()))
                .withWorkingDir(request.workdir().orElse(labels.getOrDefault(Names.WORKSPACE, "/")));
        request.user().or(() -> java.util.Optional.ofNullable(labels.get(Names.USER))).ifPresent(create::withUser);
        String execId = create.exec().getId();
        Terminal terminal = request.tty() ? Terminal.raw() : Terminal.NONE;
        try {
            if (request.tty()) {
                // the session must exist before it can be sized: size it from a moment after the start
                terminal.size().ifPresent(s -> Thread.ofVirtual().start(() -> resizeSoon(execId, s)));
            }
            ExecStream.run(host, execId, request.tty(), request.stdin() ? in : null, out, err);
        } finally {
            terminal.restore();
        }
        Long code = docker.inspectExecCmd(execId).exec().getExitCodeLong();
        return code == null ? 1 : code.intValue();
    }

    /**
     * Runs argv without input or terminal and collects its output, for the remote daemon's capsule shell.
     *
     * @param app the app container
     * @param argv the command
     * @param timeout the longest wait
     * @return exit code and output (each stream cut at {@link #MAX_CAPTURE} bytes)
     * @throws IOException if it cannot run or takes longer than the timeout
     */
    kap.cli.spi.CapsuleShell.Result capture(InspectContainerResponse app, List<String> argv,
                                            java.time.Duration timeout) throws IOException {
        BoundedOutput out = new BoundedOutput(MAX_CAPTURE);
        BoundedOutput err = new BoundedOutput(MAX_CAPTURE);
        var task = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return run(app, new ExecRequest(argv, false, false, java.util.Optional.empty(),
                        java.util.Optional.empty()), InputStream.nullInputStream(), out, err);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        try {
            int code = task.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return new kap.cli.spi.CapsuleShell.Result(code, out.text(), err.text());
        } catch (java.util.concurrent.TimeoutException e) {
            task.cancel(true);
            throw new IOException("the command did not finish within " + timeout);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("the command could not run: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The most output kept per stream by {@link #capture}. */
    static final int MAX_CAPTURE = 4 << 20;

    /** Keeps the first bytes written to it, up to a limit, and drops the rest. */
    private static final class BoundedOutput extends OutputStream {
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        private final int limit;

        BoundedOutput(int limit) {
            this.limit = limit;
        }

        @Override
        public synchronized void write(int b) {
            if (bytes.size() < limit) {
                bytes.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, Math.max(0, Math.min(len, limit - bytes.size())));
        }

        synchronized String text() {
            return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private void resizeSoon(String execId, int[] rowsCols) {
        try {
            Thread.sleep(100);
            docker.resizeExecCmd(execId).withSize(rowsCols[0], rowsCols[1]).exec();
        } catch (InterruptedException | RuntimeException e) {
            // the session may already be over; the default size is fine
        }
    }

    /** The exec session's environment: devcontainer.json remoteEnv, with ${containerEnv:X} from the container. */
    static List<String> environment(InspectContainerResponse app, String encoded, boolean tty) {
        Map<String, String> containerEnv = new LinkedHashMap<>();
        String[] env = app.getConfig().getEnv();
        if (env != null) {
            for (String e : env) {
                int eq = e.indexOf('=');
                if (eq > 0) {
                    containerEnv.put(e.substring(0, eq), e.substring(eq + 1));
                }
            }
        }
        List<String> result = new ArrayList<>();
        AppContainer.decode(encoded).forEach((k, v) -> {
            Matcher m = CONTAINER_ENV.matcher(v);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(containerEnv.getOrDefault(m.group(1), "")));
            }
            result.add(k + "=" + m.appendTail(out));
        });
        if (tty && System.getenv("TERM") != null) {
            result.add("TERM=" + System.getenv("TERM"));
        }
        return result;
    }
}
