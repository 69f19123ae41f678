package kap.clix;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TEST FIXTURE: s3rver (a local S3-compatible server, from npm, pinned in {@code src/test/s3rver}) on 127.0.0.1 and
 * an ephemeral port, with one bucket.
 */
final class S3rver implements AutoCloseable {

    static final Path INSTALL = Path.of("src/test/s3rver/node_modules/.bin/s3rver");
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final int port;

    private S3rver(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static S3rver start(Path data, String bucket) throws IOException, InterruptedException {
        if (!Files.isExecutable(INSTALL)) {
            throw new IllegalStateException(INSTALL.toAbsolutePath() + " is missing: run scripts/test-prereqs.sh"
                    + " (it runs npm ci in src/test/s3rver)");
        }
        Files.createDirectories(data);
        Process p = new ProcessBuilder("node", INSTALL.toString(), "-d", data.toString(), "-a", "127.0.0.1", "-p", "0",
                "--silent", "--configure-bucket", bucket).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                int port = Integer.parseInt(m.group(1));
                Thread.ofVirtual().start(() -> drain(out));
                return new S3rver(p, port);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("s3rver did not start");
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // keep the pipe from filling up
            }
        } catch (IOException e) {
            // stopped
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
