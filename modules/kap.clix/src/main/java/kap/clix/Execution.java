package kap.clix;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import kap.shim.Frame;
import kap.shim.FrameReader;
import kap.shim.FrameWriter;
import kap.shim.Wire;

/**
 * One running tool: argv only (no shell), its own environment, stdin from the shim's frames, stdout and stderr
 * streamed back as they come (redacted), ended by its exit, the timeout, the output limit, the shim going away, or
 * the sidecar shutting down. Whatever stops it early kills the whole process tree.
 */
final class Execution {

    /** After the tool exits, how long a background child holding its pipes may delay the exit frame. */
    static final Duration DRAIN = Duration.ofSeconds(2);
    /** Between SIGTERM and SIGKILL when the tool is stopped. */
    static final Duration KILL_GRACE = Duration.ofSeconds(2);

    /** Why a tool was stopped before it exited by itself. */
    enum Stop {
        /** It exited by itself. */
        NONE,
        /** It ran past the tool's timeout. */
        TIMEOUT,
        /** It wrote more than the tool's output limit. */
        OUTPUT_LIMIT,
        /** The shim went away (interrupted, killed, or its output closed). */
        DISCONNECTED,
        /** The shim broke the protocol. */
        PROTOCOL_ERROR,
        /** The sidecar is shutting down. */
        SHUTDOWN
    }

    private final Process process;
    private final FrameWriter writer;
    private final long maxOutput;
    private final CompletableFuture<Stop> stopped = new CompletableFuture<>();
    private final ReentrantLock output = new ReentrantLock();
    private final Runnable abort;
    private final Redactor outRedactor;
    private final Redactor errRedactor;
    private long written;
    private boolean closed;
    private long bytesOut;
    private long bytesErr;
    private Thread input;

    private Execution(Process process, FrameWriter writer, Runnable abort, long maxOutput,
                      List<Redactor.Secret> secrets) {
        this.process = process;
        this.abort = abort;
        this.writer = writer;
        this.maxOutput = maxOutput;
        this.outRedactor = new Redactor(secrets);
        this.errRedactor = new Redactor(secrets);
    }

    /**
     * Starts the tool.
     *
     * @throws ClixException if it cannot be started
     */
    static Execution start(List<String> command, Map<String, String> env, Path cwd, long maxOutput,
                           List<Redactor.Secret> secrets, FrameWriter writer, Runnable abort) throws ClixException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        try {
            return new Execution(builder.start(), writer, abort, maxOutput, secrets);
        } catch (IOException e) {
            throw ClixException.notInstalled("cannot start " + command.getFirst() + " on the sidecar: "
                    + e.getMessage());
        }
    }

    /**
     * Streams until the tool ends or is stopped; the caller records the result and then {@link RunResult#reply}s.
     *
     * @param reader the shim's frames after the head
     * @param timeout the tool's timeout
     * @return how it ended
     * @throws IOException if the held-back output cannot be sent
     */
    RunResult run(FrameReader reader, Duration timeout) throws IOException {
        List<Thread> pumps = new ArrayList<>();
        pumps.add(Thread.ofVirtual().name("clix-stdout").start(() -> pump(process.getInputStream(), true)));
        pumps.add(Thread.ofVirtual().name("clix-stderr").start(() -> pump(process.getErrorStream(), false)));
        input = Thread.ofVirtual().name("clix-stdin").start(() -> feed(reader, process.getOutputStream()));
        Stop stop;
        try {
            CompletableFuture.anyOf(process.onExit(), stopped).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            stop = process.isAlive() ? stopped.getNow(Stop.NONE) : Stop.NONE;
        } catch (TimeoutException e) {
            stop = Stop.TIMEOUT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop = Stop.SHUTDOWN;
        } catch (ExecutionException e) {
            stop = Stop.PROTOCOL_ERROR;
        }
        if (stop != Stop.NONE) {
            ProcessTree.kill(process, KILL_GRACE);
        }
        int code = waitForExit();
        for (Thread pump : pumps) {
            joinQuietly(pump, DRAIN);
        }
        if (stop == Stop.NONE && stopped.getNow(Stop.NONE) == Stop.OUTPUT_LIMIT) {
            stop = Stop.OUTPUT_LIMIT;
        }
        return finish(stop, code, timeout);
    }

    /**
     * Waits for the shim to close its side after the exit frame, so the connection is not reset while the shim may
     * still be reading (unread input at close turns FIN into RST).
     *
     * @param limit longest wait
     */
    void awaitInputEnd(Duration limit) {
        if (input != null) {
            joinQuietly(input, limit);
        }
    }

    /** Stops the tool from outside, such as when the sidecar shuts down. */
    void stop(Stop why) {
        stopped.complete(why);
    }

    private RunResult finish(Stop why, int processCode, Duration timeout) {
        Stop stop = why;
        if (!lockOutput()) {
            // a pump is stuck writing to a shim that reads nothing: drop the connection to free it
            abort.run();
            stop = Stop.DISCONNECTED;
            output.lock();
        }
        try {
            if (!closed) {
                send(Wire.STDOUT, outRedactor.finish());
                send(Wire.STDERR, errRedactor.finish());
            }
        } catch (IOException e) {
            stop = Stop.DISCONNECTED;
        } finally {
            closed = true;
            output.unlock();
        }
        int code = switch (stop) {
            case NONE, DISCONNECTED -> processCode;
            case TIMEOUT -> Wire.EXIT_TIMEOUT;
            default -> Wire.EXIT_KAP_ERROR;
        };
        String message = switch (stop) {
            case TIMEOUT -> "the command ran longer than its timeout of " + timeout.toSeconds() + " s and was stopped"
                    + " (timeout in [[cli.tools]] sets it)";
            case OUTPUT_LIMIT -> "the command wrote more than its output limit of " + maxOutput + " bytes and was"
                    + " stopped (max_output_bytes in [[cli.tools]] sets it)";
            case PROTOCOL_ERROR -> "the shim broke the protocol; the command was stopped";
            case SHUTDOWN -> "the kap sidecar is shutting down; the command was stopped";
            default -> null;
        };
        return new RunResult(code, stop, bytesOut, bytesErr, outRedactor.count() + errRedactor.count(), message);
    }

    private void pump(InputStream in, boolean stdout) {
        byte[] buffer = new byte[Wire.MAX_CHUNK_BYTES];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (!forward(stdout, buffer, n)) {
                    return;
                }
            }
        } catch (IOException e) {
            // the process is gone and its pipe with it
        }
    }

    /** Counts, limits, redacts and sends one chunk; false once nothing more should be read. */
    private boolean forward(boolean stdout, byte[] buffer, int n) {
        output.lock();
        try {
            if (closed) {
                return false;
            }
            int allowed = (int) Math.min(n, maxOutput - written);
            written += n;
            if (stdout) {
                bytesOut += n;
            } else {
                bytesErr += n;
            }
            Redactor redactor = stdout ? outRedactor : errRedactor;
            try {
                send(stdout ? Wire.STDOUT : Wire.STDERR, redactor.feed(buffer, 0, Math.max(0, allowed)));
            } catch (IOException e) {
                closed = true;
                stopped.complete(Stop.DISCONNECTED);
                return false;
            }
            if (written > maxOutput) {
                stopped.complete(Stop.OUTPUT_LIMIT);
                return false;
            }
            return true;
        } finally {
            output.unlock();
        }
    }

    private boolean lockOutput() {
        try {
            return output.tryLock(DRAIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void send(byte type, byte[] bytes) throws IOException {
        for (int at = 0; at < bytes.length; at += Wire.MAX_CHUNK_BYTES) {
            writer.write(type, bytes, at, Math.min(Wire.MAX_CHUNK_BYTES, bytes.length - at));
        }
    }

    /** The shim's frames to the tool's stdin; the connection ending early means the shim is gone. */
    private void feed(FrameReader reader, OutputStream stdin) {
        boolean open = true;
        try {
            while (true) {
                Frame frame = reader.next();
                if (frame == null) {
                    stopped.complete(Stop.DISCONNECTED);
                    return;
                }
                if (frame.type() == Wire.STDIN && open) {
                    open = write(stdin, frame.payload());
                } else if (frame.type() == Wire.STDIN_CLOSE) {
                    open = false;
                    closeQuietly(stdin);
                } else if (frame.type() != Wire.STDIN) {
                    stopped.complete(Stop.PROTOCOL_ERROR);
                    return;
                }
            }
        } catch (IOException e) {
            stopped.complete(Stop.DISCONNECTED);
        } finally {
            closeQuietly(stdin);
        }
    }

    private static boolean write(OutputStream stdin, byte[] bytes) {
        try {
            stdin.write(bytes);
            stdin.flush();
            return true;
        } catch (IOException e) {
            // the tool closed its stdin or exited; further input is dropped
            return false;
        }
    }

    private int waitForExit() {
        try {
            process.waitFor();
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return Wire.EXIT_KAP_ERROR;
        }
    }

    private static void joinQuietly(Thread thread, Duration limit) {
        try {
            thread.join(limit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException e) {
            // already closed by the tool's exit
        }
    }
}
