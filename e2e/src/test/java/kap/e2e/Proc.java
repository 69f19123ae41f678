package kap.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real program with a deadline and captures what it printed.
 */
final class Proc {

    private Proc() {
    }

    record Result(int code, String out, String err) {
        String both() {
            return out + err;
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    static Result run(List<String> command, Path dir, Map<String, String> env, Duration timeout) {
        try {
            Path out = Files.createTempFile("kap-e2e-out", ".txt");
            Path err = Files.createTempFile("kap-e2e-err", ".txt");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).directory(dir == null ? null : dir.toFile())
                        .redirectInput(new File("/dev/null")).redirectOutput(out.toFile()).redirectError(err.toFile());
                pb.environment().putAll(env);
                Process p = pb.start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                    return new Result(-1, Files.readString(out, StandardCharsets.UTF_8),
                            Files.readString(err, StandardCharsets.UTF_8) + "\n(timed out after " + timeout + ")");
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            return new Result(-2, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-3, "", "interrupted");
        }
    }

    static Result docker(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        return run(command, null, Map.of(), Duration.ofMinutes(5));
    }

    /** Runs docker and fails with its output if it does not exit with 0. */
    static String dockerOk(String... args) {
        Result r = docker(args);
        if (r.code() != 0) {
            throw new IllegalStateException("docker " + String.join(" ", args) + " failed: " + r);
        }
        return r.out().strip();
    }
}
