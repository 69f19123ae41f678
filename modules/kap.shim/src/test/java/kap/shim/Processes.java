package kap.shim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs processes for tests, with a deadline, capturing output.
 */
final class Processes {

    private Processes() {
    }

    /** The output of a finished process. */
    record Result(int exit, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    /** The java launcher running these tests. */
    static String java() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString());
    }

    /** Where kap.shim's classes are, for {@code -p}. */
    static String shimModulePath() {
        try {
            return Path.of(Shim.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The command line that runs a main class of kap.shim. */
    static List<String> shimMain(String main) {
        return List.of(java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-p", shimModulePath(), "-m",
                "kap.shim/" + main);
    }

    static Result run(List<String> command) throws IOException, InterruptedException {
        return run(command, Map.of(), new byte[0], 30);
    }

    static Result run(List<String> command, Map<String, String> env, byte[] stdin, int seconds)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command));
        builder.environment().putAll(env);
        Process p = builder.start();
        Thread feeder = Thread.ofVirtual().start(() -> {
            try (var in = p.getOutputStream()) {
                in.write(stdin);
            } catch (IOException e) {
                // the process did not read it all
            }
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread o = Thread.ofVirtual().start(() -> copy(p.getInputStream(), out));
        Thread e = Thread.ofVirtual().start(() -> copy(p.getErrorStream(), err));
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new IllegalStateException(command + " did not finish in " + seconds + " s; stderr: "
                    + err.toString(StandardCharsets.UTF_8));
        }
        o.join(5000);
        e.join(5000);
        feeder.join(1000);
        return new Result(p.exitValue(), out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            // process ended
        }
    }
}
