package kap.egress.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real curl through the proxy. Proxy variables from the environment are cleared so only {@code -x} counts;
 * curl sends names to the proxy unresolved, so test names never touch the machine's resolver.
 *
 * @param exitCode curl's exit code
 * @param stdout what curl wrote to stdout
 * @param stderr what curl wrote to stderr
 */
record Curl(int exitCode, String stdout, String stderr) {

    static Curl run(int proxyPort, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "30",
                "-x", "http://127.0.0.1:" + proxyPort));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        for (String var : List.of("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy",
                "NO_PROXY", "no_proxy")) {
            pb.environment().remove(var);
        }
        Process p = pb.start();
        byte[][] streams = new byte[2][];
        Thread readErr = Thread.ofVirtual().start(() -> {
            try {
                streams[1] = p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                streams[1] = new byte[0];
            }
        });
        streams[0] = p.getInputStream().readAllBytes();
        readErr.join();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("curl did not finish");
        }
        return new Curl(p.exitValue(), new String(streams[0], StandardCharsets.UTF_8),
                new String(streams[1], StandardCharsets.UTF_8));
    }
}
