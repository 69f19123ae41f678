package kap.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * {@code kap remote start|status|pair|devices|revoke|stop} as real processes: start puts the daemon in the background
 * and prints a QR code whose URL pairs a phone; revoke locks the phone out; stop ends the daemon.
 */
@Timeout(120)
class RemoteProcessTest {

    private static final Pattern URL = Pattern.compile("(http://127\\.0\\.0\\.1:(\\d+)/)#pair=([A-Za-z0-9_-]+)");

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws Exception {
        kap("remote", "stop", "--home", dir.toString());
    }

    private Result kap(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", RuntimeModulePath.asArgument(), "--add-modules", "ALL-MODULE-PATH",
                "-m", "kap.cli/kap.cli.Main"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("kap " + String.join(" ", args) + " did not finish");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    record Result(int exit, String out, String err) {
    }

    @Test
    void startPairsStatusRevokesAndStops() throws Exception {
        Result start = kap("remote", "start", "--home", dir.toString(), "--listen", "127.0.0.1", "--port", "0");
        assertThat(start.err(), start.exit(), is(0));
        assertThat(start.out(), containsString("Scan with your phone to pair"));
        assertThat(start.out(), containsString("█"));
        Matcher m = URL.matcher(start.out());
        assertThat(start.out(), m.find(), is(true));
        String base = m.group(1);
        assertThat(Files.exists(dir.resolve("pair.png")), is(true));
        assertThat(kap("remote", "status", "--home", dir.toString()).out(), containsString("Daemon: running (pid "));

        String token = pair(base, m.group(3));
        assertThat(get(base + "api/me", token), is(200));
        Result devices = kap("remote", "devices", "--home", dir.toString());
        Matcher id = Pattern.compile("(d-[0-9a-f]{12})\\s+cli-test").matcher(devices.out());
        assertThat(devices.out(), id.find(), is(true));

        Result pair = kap("remote", "pair", "--home", dir.toString());
        assertThat(pair.out(), containsString("#pair="));

        Result revoke = kap("remote", "revoke", "--home", dir.toString(), id.group(1));
        assertThat(revoke.out(), containsString("Revoked device " + id.group(1)));
        assertThat(get(base + "api/me", token), is(401));
        assertThat(kap("remote", "revoke", "--home", dir.toString(), "d-000000000000").exit(), is(1));

        Result stop = kap("remote", "stop", "--home", dir.toString());
        assertThat(stop.err(), containsString("stopping daemon"));
        assertThat(kap("remote", "status", "--home", dir.toString()).out(), containsString("Daemon: not running"));
        assertThat(kap("remote", "pair", "--home", dir.toString()).exit(), is(1));
    }

    private static String pair(String base, String code) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(base + "api/pair").toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = c.getOutputStream()) {
            out.write(("{\"code\":\"" + code + "\",\"name\":\"cli-test\"}").getBytes(StandardCharsets.UTF_8));
        }
        assertThat(c.getResponseCode(), is(200));
        try (InputStream in = c.getInputStream()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Matcher t = Pattern.compile("\"token\":\"([^\"]+)\"").matcher(body);
            assertThat(body, t.find(), is(true));
            return t.group(1);
        }
    }

    private static int get(String url, String token) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setRequestProperty("Authorization", "Bearer " + token);
        return c.getResponseCode();
    }
}
